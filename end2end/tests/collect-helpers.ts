// Data for the collection specs: valid codes made by the national algorithms, and today in Beijing.
// USCC check character (GB 32100): weights 3^(i-1) mod 31 over the 31-character set.
const CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
function checkChar(first17: string): string {
  let sum = 0;
  let w = 1;
  for (const ch of first17) {
    sum += CHARSET.indexOf(ch) * w;
    w = (w * 3) % 31;
  }
  const c = 31 - (sum % 31);
  return CHARSET[c === 31 ? 0 : c];
}
// GB 11714 organisation-code check over 8 characters.
function orgCheck(first8: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += parseInt(first8[i], 36) * weights[i];
  const c = 11 - (sum % 11);
  return c === 10 ? "X" : c === 11 ? "0" : String(c);
}
export function uscc(serial: number): string {
  let body = "";
  let n = serial;
  for (let i = 0; i < 8; i++) {
    body = CHARSET[n % 31] + body;
    n = Math.floor(n / 31);
  }
  const first17 = `91433101${body}${orgCheck(body)}`;
  return first17 + checkChar(first17);
}

export function todayInBeijing(): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());
}
