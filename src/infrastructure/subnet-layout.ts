import { formatCidr, parseCidr, subnet } from './cidr';

/** VPC prefix bounds: /16 is the AWS maximum; past /20 the public /26s get too small for NAT and load balancers. */
const MIN_PREFIX = 16;
const MAX_PREFIX = 20;

/**
 * The subnets of a VPC range, in zone order. Private subnets take blocks 0-2 of eight (pods
 * get VPC addresses from the VPC CNI, so they need the room); public subnets are eighths of
 * block 3 (a /22 in a /16). Blocks 4-7 stay free for later subnets. Throws on a range outside
 * /16 to /20.
 */
export function subnetLayout(cidr: string): { privateCidrs: string[]; publicCidrs: string[] } {
  const block = parseCidr(cidr);
  if (block.prefix < MIN_PREFIX || block.prefix > MAX_PREFIX) {
    throw new Error(
      `cidr: "${cidr}" is a /${block.prefix}; use a /${MIN_PREFIX} to /${MAX_PREFIX} so three private and three public subnets fit`,
    );
  }
  return {
    privateCidrs: [0, 1, 2].map((i) => formatCidr(subnet(block, 3, i))),
    publicCidrs: [0, 1, 2].map((i) => formatCidr(subnet(subnet(block, 3, 3), 3, i))),
  };
}
