/** Bitcoin alphabet. Its characters are in ascending ASCII order, so fixed-width encodings sort like the numbers. */
export const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** Base58 (Bitcoin alphabet) of `bytes`; each leading zero byte becomes a leading `1`, as usual. */
export function encodeBase58(bytes: Uint8Array): string {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  const digits: number[] = [];
  for (let index = zeros; index < bytes.length; index++) {
    let carry = bytes[index] as number;
    for (let digit = 0; digit < digits.length; digit++) {
      carry += (digits[digit] as number) << 8;
      digits[digit] = carry % 58;
      carry = Math.floor(carry / 58);
    }
    while (carry > 0) {
      digits.push(carry % 58);
      carry = Math.floor(carry / 58);
    }
  }
  let text = '1'.repeat(zeros);
  for (let digit = digits.length - 1; digit >= 0; digit--) text += BASE58_ALPHABET[digits[digit] as number];
  return text;
}

/** Characters needed to write any `byteLength`-byte number in base58. */
export function base58Width(byteLength: number): number {
  return Math.ceil((byteLength * Math.log(256)) / Math.log(58));
}

/** Base58 of the big-endian number in `bytes`, left-padded with `1` (zero) to a fixed width, so that order is kept. */
export function encodeBase58Fixed(bytes: Uint8Array): string {
  // Leading zero bytes are already leading '1's (the zero digit), so padding with '1' keeps the number.
  return encodeBase58(bytes).padStart(base58Width(bytes.length), '1');
}
