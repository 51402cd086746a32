import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

/** Files of the control plane's PKI, all under one directory. */
export interface ControlPlaneCerts {
  readonly caCert: string;
  readonly caKey: string;
  /** kube-apiserver's serving certificate: IP 127.0.0.1 and the in-cluster DNS names. */
  readonly servingCert: string;
  readonly servingKey: string;
  /** Client certificate in `system:masters`: the harness, the controllers and kwok use it. */
  readonly adminCert: string;
  readonly adminKey: string;
  /** Service-account token signing key pair. */
  readonly serviceAccountKey: string;
  readonly serviceAccountPub: string;
}

function openssl(args: readonly string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`openssl ${args.join(' ')} failed in ${cwd}: ${stderr || String(err)}`);
  }
}

/**
 * A throw-away PKI made with openssl: one CA signs the API server's serving certificate and
 * the admin client certificate; a separate RSA key signs service-account tokens.
 */
export function makeCerts(dir: string): ControlPlaneCerts {
  const f = (name: string) => path.join(dir, name);
  openssl(['genrsa', '-out', 'ca.key', '2048'], dir);
  openssl(
    [
      'req',
      '-x509',
      '-new',
      '-key',
      'ca.key',
      '-subj',
      '/CN=cluster-suite-ca',
      '-days',
      '2',
      '-out',
      'ca.crt',
    ],
    dir,
  );
  writeFileSync(
    f('serving.ext'),
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc',
      '',
    ].join('\n'),
  );
  writeFileSync(
    f('client.ext'),
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=digitalSignature,keyEncipherment',
      'extendedKeyUsage=clientAuth',
      '',
    ].join('\n'),
  );
  const sign = (name: string, subject: string, ext: string) => {
    openssl(['genrsa', '-out', `${name}.key`, '2048'], dir);
    openssl(['req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`], dir);
    openssl(
      [
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-days',
        '2',
        '-extfile',
        ext,
        '-out',
        `${name}.crt`,
      ],
      dir,
    );
  };
  sign('serving', '/CN=kube-apiserver', 'serving.ext');
  sign('admin', '/O=system:masters/CN=cluster-suite-admin', 'client.ext');
  openssl(['genrsa', '-out', 'sa.key', '2048'], dir);
  openssl(['rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], dir);
  return {
    caCert: f('ca.crt'),
    caKey: f('ca.key'),
    servingCert: f('serving.crt'),
    servingKey: f('serving.key'),
    adminCert: f('admin.crt'),
    adminKey: f('admin.key'),
    serviceAccountKey: f('sa.key'),
    serviceAccountPub: f('sa.pub'),
  };
}
