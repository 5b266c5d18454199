// Card checks shared by the sandbox's card frames (the Stripe stand-in's
// frame.html and the other gateways' card-frame.html), inlined into each
// where it says so when the sandbox serves it.
const digits = (s) => s.replace(/\D/g, "");

/** Whether a card number passes the Luhn check (12 digits at least). */
function luhn(n) {
  let sum = 0;
  for (let i = 0; i < n.length; i++) {
    let d = +n[n.length - 1 - i];
    if (i % 2) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return n.length >= 12 && sum % 10 === 0;
}

/** What is wrong with a complete MMYY expiry: "month", "past", or null. */
function expiryProblem(exp) {
  const month = +exp.slice(0, 2), year = 2000 + +exp.slice(2, 4), now = new Date();
  if (month < 1 || month > 12) return "month";
  return year < now.getFullYear() || (year === now.getFullYear() && month < now.getMonth() + 1) ? "past" : null;
}

/** Formats the expiry input as MM/YY (or "MM / YY") while the shopper types. */
function formatExpiry(input, separator) {
  input.addEventListener("input", () => {
    const d = digits(input.value).slice(0, 4);
    input.value = d.length > 2 ? `${d.slice(0, 2)}${separator}${d.slice(2)}` : d;
  });
}
