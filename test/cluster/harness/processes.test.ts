import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort, waitFor } from './processes';

describe('freePort', () => {
  it('returns a port that can be listened on', async () => {
    const port = await freePort();
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    server.close();
    expect(port).toBeGreaterThan(0);
  });
});

describe('waitFor', () => {
  it('resolves as soon as the probe holds', async () => {
    let n = 0;
    await waitFor(
      'three probes',
      async () => ++n === 3,
      5_000,
      () => '',
      10,
    );
    expect(n).toBe(3);
  });

  it('throws after the timeout with what it waited for and the description', async () => {
    await expect(
      waitFor(
        'the impossible',
        async () => false,
        50,
        () => 'state: stuck',
        10,
      ),
    ).rejects.toThrow(/timed out after 50 ms waiting for the impossible\nstate: stuck/);
  });
});
