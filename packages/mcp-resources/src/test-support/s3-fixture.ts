// The S3 test fixture: s3rver (an S3-compatible store from npm) fronted by MockMCPServer through
// the AWS SDK, since no S3 MCP server installs from npm here. One server offers object tools
// (`list-objects`, `get-object`), the other `s3://{bucket}/{+key}` resources.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { MockMCPServer } from '@tframex/mcp-testing';
import S3rver from 's3rver';
import { isTextMimeType } from '../content/resource-content.js';

export interface S3Fixture {
  readonly s3: S3Client;
  readonly endpoint: string;
  put(bucket: string, key: string, body: string | Uint8Array, contentType: string): Promise<void>;
  /** A MockMCPServer with list-objects / get-object tools (started by the caller). */
  toolServer(pageSize?: number): MockMCPServer;
  /** A MockMCPServer with s3:// resources, listing the objects there are now (started by the caller). */
  resourceServer(bucket: string): Promise<MockMCPServer>;
  stop(): Promise<void>;
}

async function getObject(s3: S3Client, bucket: string, key: string) {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const bytes = await object.Body!.transformToByteArray();
  return { bytes, contentType: object.ContentType ?? 'application/octet-stream' };
}

export async function startS3Fixture(buckets: string[]): Promise<S3Fixture> {
  const directory = mkdtempSync(join(tmpdir(), 'mcp-resources-s3-'));
  const store = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory,
    silent: true,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const { port } = await store.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const s3 = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  return {
    s3,
    endpoint,
    async put(bucket, key, body, contentType) {
      await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }),
      );
    },
    toolServer(pageSize = 1000) {
      const server = new MockMCPServer({ name: 'objects' });
      server.addTool(
        'list-objects',
        async ({ bucket, prefix, delimiter, continuationToken }) => {
          // s3rver 3.7 fails on MaxKeys, so the fixture cuts pages itself, as a server may.
          const listed = await s3.send(
            new ListObjectsV2Command({
              Bucket: String(bucket),
              Prefix: typeof prefix === 'string' ? prefix : undefined,
              Delimiter: typeof delimiter === 'string' ? delimiter : undefined,
            }),
          );
          const offset = typeof continuationToken === 'string' ? Number(continuationToken) : 0;
          const contents = listed.Contents ?? [];
          const end = offset + pageSize;
          return {
            Contents: contents.slice(offset, end).map(({ Key, Size }) => ({ Key, Size })),
            CommonPrefixes:
              offset === 0 ? (listed.CommonPrefixes ?? []).map(({ Prefix }) => ({ Prefix })) : [],
            IsTruncated: end < contents.length,
            ...(end < contents.length ? { NextContinuationToken: String(end) } : {}),
          };
        },
        { description: 'Lists objects of a bucket (ListObjectsV2)' },
      );
      server.addTool(
        'get-object',
        async ({ bucket, key }) => {
          const { bytes, contentType } = await getObject(s3, String(bucket), String(key));
          if (isTextMimeType(contentType)) {
            return {
              content: [{ type: 'text' as const, text: Buffer.from(bytes).toString('utf8') }],
            };
          }
          return {
            content: [
              {
                type: 'resource' as const,
                resource: {
                  uri: `s3://${String(bucket)}/${String(key)}`,
                  mimeType: contentType,
                  blob: Buffer.from(bytes).toString('base64'),
                },
              },
            ],
          };
        },
        { description: 'Reads one object (GetObject)' },
      );
      return server;
    },
    async resourceServer(bucket) {
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
      const resources = (listed.Contents ?? []).map(({ Key }) => ({
        uri: `s3://${bucket}/${Key}`,
        name: Key!,
      }));
      const server = new MockMCPServer({ name: 'objects' });
      server.addResourceTemplate(
        's3://{bucket}/{+key}',
        async (uri) => {
          const url = new URL(uri);
          const key = decodeURIComponent(url.pathname.slice(1));
          const { bytes, contentType } = await getObject(s3, url.host, key);
          return {
            contents: [
              isTextMimeType(contentType)
                ? {
                    uri: uri.toString(),
                    mimeType: contentType,
                    text: Buffer.from(bytes).toString('utf8'),
                  }
                : {
                    uri: uri.toString(),
                    mimeType: contentType,
                    blob: Buffer.from(bytes).toString('base64'),
                  },
            ],
          };
        },
        {
          list: () => resources,
        },
      );
      return server;
    },
    async stop() {
      s3.destroy();
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
