namespace RecoveryStudy.Exports;

/// <summary>
/// A write-only stream that counts what it passes on, so that Parquet.Net, which reads
/// <see cref="Position"/> to record where each column chunk starts, can write straight into an
/// HTTP response body (which cannot tell its position) instead of a file or a buffer.
/// </summary>
public sealed class ForwardOnlyStream(Stream inner) : Stream
{
    private long written;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => written;

    public override long Position
    {
        get => written;
        set => throw new NotSupportedException("a forward-only stream cannot seek");
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        inner.Write(buffer, offset, count);
        written += count;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await inner.WriteAsync(buffer, cancellationToken);
        written += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>
    /// Nothing: Parquet.Net flushes synchronously after each page, which an HTTP response body
    /// refuses; what was written goes out with the next asynchronous write or flush.
    /// </summary>
    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
