/** IPv4 CIDR arithmetic for subnet layout, done at synth time so the JSON shows literal ranges. */

export interface Ipv4Block {
  readonly base: number;
  readonly prefix: number;
}

export function parseCidr(cidr: string): Ipv4Block {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match) throw new Error(`"${cidr}" is not an IPv4 CIDR such as 10.0.0.0/16`);
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32)
    throw new Error(`"${cidr}" is not an IPv4 CIDR such as 10.0.0.0/16`);
  const base = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (base % size !== 0) {
    const aligned = base - (base % size);
    throw new Error(
      `"${cidr}" has host bits set; did you mean ${formatCidr({ base: aligned, prefix })}?`,
    );
  }
  return { base, prefix };
}

export function formatCidr(block: Ipv4Block): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(block.base / 2 ** shift) % 256);
  return `${octets.join('.')}/${block.prefix}`;
}

/** Terraform's cidrsubnet(): the `index`th block of `newBits` more prefix bits inside `block`. */
export function subnet(block: Ipv4Block, newBits: number, index: number): Ipv4Block {
  const prefix = block.prefix + newBits;
  if (prefix > 32 || index < 0 || index >= 2 ** newBits) {
    throw new Error(`cannot take block ${index} of /${prefix} inside ${formatCidr(block)}`);
  }
  return { base: block.base + index * 2 ** (32 - prefix), prefix };
}
