import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeCerts } from './certs';

describe('makeCerts', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'certs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const certs = makeCerts(dir);
  const text = (file: string) =>
    execFileSync('openssl', ['x509', '-in', file, '-noout', '-text']).toString();

  it('signs the serving certificate for 127.0.0.1 with the CA', () => {
    expect(
      execFileSync('openssl', ['verify', '-CAfile', certs.caCert, certs.servingCert]).toString(),
    ).toMatch(/OK/);
    expect(text(certs.servingCert)).toMatch(/IP Address:127\.0\.0\.1/);
  });

  it('puts the admin client in system:masters', () => {
    expect(
      execFileSync('openssl', ['verify', '-CAfile', certs.caCert, certs.adminCert]).toString(),
    ).toMatch(/OK/);
    expect(text(certs.adminCert)).toMatch(/O ?= ?system:masters/);
  });

  it('throws naming the openssl command that failed', () => {
    expect(() => makeCerts(path.join(dir, 'missing'))).toThrow(
      /openssl genrsa -out ca.key 2048 failed in .*missing/,
    );
  });
});
