import { GcsApiError } from '../../../../src/emulators/gcs-server';
import { multipartBoundary, readMultipartUpload } from '../../../../src/emulators/gcs-server/multipart';

const media = Buffer.from('line one\r\n--not-the-boundary\r\n\r\n--bo tail bytes');
const body = Buffer.concat([
  Buffer.from(
    '--bound\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n{"name":"a/b.txt","metadata":{"k":"v"}}\r\n',
  ),
  Buffer.from('--bound\r\nContent-Type: text/plain\r\n\r\n'),
  media,
  Buffer.from('\r\n--bound--'),
]);

async function* inPieces(data: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

async function collect(source: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of source) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('Function: readMultipartUpload', () => {
  it.each([[1], [2], [3], [7], [64], [body.length]])(
    'parses metadata and media fed %i bytes at a time',
    async (size) => {
      const upload = await readMultipartUpload(inPieces(body, size), 'bound');
      expect(upload.metadata).toEqual({ name: 'a/b.txt', metadata: { k: 'v' } });
      expect(upload.mediaContentType).toBe('text/plain');
      expect((await collect(upload.media)).equals(media)).toBe(true);
    },
  );

  it('accepts a preamble, a part without headers and an epilogue', async () => {
    const text = 'preamble\r\n--b\r\n\r\n{}\r\n--b\r\n\r\nxyz\r\n--b--\r\nepilogue';
    const upload = await readMultipartUpload(inPieces(Buffer.from(text), 5), 'b');
    expect(upload.metadata).toEqual({});
    expect(upload.mediaContentType).toBeUndefined();
    expect((await collect(upload.media)).toString()).toBe('xyz');
  });

  it.each([
    ['the body stops inside the media part', '--b\r\n\r\n{}\r\n--b\r\n\r\nxyz', /truncated/],
    ['there is no media part', '--b\r\n\r\n{}\r\n--b--', /no media part/],
    ['the metadata is not JSON', '--b\r\n\r\n{oops\r\n--b\r\n\r\nx\r\n--b--', /not valid JSON/],
    ['the metadata is a JSON array', '--b\r\n\r\n[1]\r\n--b\r\n\r\nx\r\n--b--', /must be a JSON object/],
    ['there is a third part', '--b\r\n\r\n{}\r\n--b\r\n\r\nx\r\n--b\r\n\r\ny\r\n--b--', /more than two parts/],
    ['the boundary never appears', 'just some bytes', /ended inside the preamble/],
  ])('throws a 400 GcsApiError when %s', async (_case, text, message) => {
    const failure = (async () => collect((await readMultipartUpload(inPieces(Buffer.from(text), 4), 'b')).media))();
    await expect(failure).rejects.toThrow(message);
    await expect(failure).rejects.toMatchObject({ status: 400, reason: 'invalid' });
    await expect(failure).rejects.toBeInstanceOf(GcsApiError);
  });

  it('refuses metadata larger than the limit', async () => {
    const text = `--b\r\n\r\n{"a":"${'x'.repeat(100)}"}\r\n--b\r\n\r\nx\r\n--b--`;
    await expect(readMultipartUpload(inPieces(Buffer.from(text), 8), 'b', 50)).rejects.toThrow(/too large/);
  });
});

describe('Function: multipartBoundary', () => {
  it.each([
    ['multipart/related; boundary=abc-123', 'abc-123'],
    ['multipart/related; boundary="quoted value"', 'quoted value'],
    ['Multipart/Related; charset=x; boundary=z', 'z'],
  ])('reads the boundary of %s', (header, boundary) => {
    expect(multipartBoundary(header)).toBe(boundary);
  });

  it.each([[undefined], ['text/plain'], ['multipart/related']])('throws 400 for %s', (header) => {
    expect(() => multipartBoundary(header)).toThrow(expect.objectContaining({ status: 400 }));
  });
});
