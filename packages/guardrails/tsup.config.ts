import { packageBuild } from '../../tsup.package';

export default packageBuild(['src/index.ts', 'src/express.ts', 'src/fastify.ts', 'src/hono.ts']);
