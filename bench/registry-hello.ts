/**
 * The floor of `npm run bench:registry`: a bare Fastify hello-world in a process of its own,
 * the same Fastify version as the registry. Prints its URL on stdout once it listens.
 */
import Fastify from 'fastify';

const app = Fastify();
app.get('/', async () => ({ hello: 'world' }));
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${url}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
