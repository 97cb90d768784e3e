import { isInfisicalError } from '@infisical/nestjs';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';

const port = Number(process.env.PORT ?? 3000);

try {
  // abortOnError: false lets a failed bootstrap reach the catch below (not process.abort());
  // buffered logs are printed once the app is up, so a failure prints one clear line.
  const app = await NestFactory.create(AppModule, {
    abortOnError: false,
    bufferLogs: true,
    autoFlushLogs: false,
  });
  app.flushLogs();
  app.enableShutdownHooks();
  await app.listen(port, '127.0.0.1');
  console.log(
    `nest-app ready on http://127.0.0.1:${port} (GET /, /api/secrets, /health, /secrets/:name, /config/:name)`,
  );
} catch (error) {
  if (isInfisicalError(error))
    console.error(`nest-app could not start: ${error.code}: ${error.message}`);
  else console.error('nest-app could not start:', error);
  process.exit(1);
}
