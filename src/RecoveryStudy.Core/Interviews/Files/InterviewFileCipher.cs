using System.Buffers.Binary;
using System.Security.Cryptography;

namespace RecoveryStudy.Interviews.Files;

/// <summary>
/// Envelope encryption of interview files with AES-256-GCM. Each file gets a random key, which is
/// stored wrapped (encrypted) by a master key from configuration; the content is cut into chunks of
/// <see cref="ChunkBytes"/>, each sealed on its own. A chunk's nonce is its number (safe: a file
/// key seals one file, once), and its authenticated data binds it to the file, its place and whether
/// it is the last one, so chunks cannot be swapped between files, reordered or cut off unnoticed.
/// </summary>
public static class InterviewFileCipher
{
    public const int ChunkBytes = 1024 * 1024;
    public const int TagBytes = 16;
    private const int NonceBytes = 12;
    private const int KeyBytes = 32;

    public static byte[] NewFileKey() => RandomNumberGenerator.GetBytes(KeyBytes);

    /// <summary>The file key sealed by the master key: nonce, ciphertext, tag (60 bytes).</summary>
    public static byte[] Wrap(byte[] masterKey, Guid fileId, byte[] fileKey)
    {
        var sealedKey = new byte[NonceBytes + KeyBytes + TagBytes];
        var nonce = sealedKey.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(masterKey, TagBytes);
        aes.Encrypt(nonce, fileKey, sealedKey.AsSpan(NonceBytes, KeyBytes), sealedKey.AsSpan(NonceBytes + KeyBytes), WrapData(fileId));
        return sealedKey;
    }

    /// <summary>The file key; throws <see cref="AuthenticationTagMismatchException"/> for a wrong master key or a changed row.</summary>
    public static byte[] Unwrap(byte[] masterKey, Guid fileId, byte[] wrapped)
    {
        if (wrapped.Length != NonceBytes + KeyBytes + TagBytes)
        {
            throw new CryptographicException("A wrapped file key has the wrong length.");
        }
        var fileKey = new byte[KeyBytes];
        using var aes = new AesGcm(masterKey, TagBytes);
        aes.Decrypt(wrapped.AsSpan(0, NonceBytes), wrapped.AsSpan(NonceBytes, KeyBytes), wrapped.AsSpan(NonceBytes + KeyBytes), fileKey, WrapData(fileId));
        return fileKey;
    }

    /// <summary>A sealed chunk: ciphertext then tag.</summary>
    public static byte[] Seal(AesGcm aes, Guid fileId, int seq, bool last, ReadOnlySpan<byte> plain)
    {
        var sealedChunk = new byte[plain.Length + TagBytes];
        Span<byte> nonce = stackalloc byte[NonceBytes];
        BinaryPrimitives.WriteInt32BigEndian(nonce[^4..], seq);
        aes.Encrypt(nonce, plain, sealedChunk.AsSpan(0, plain.Length), sealedChunk.AsSpan(plain.Length), ChunkData(fileId, seq, last));
        return sealedChunk;
    }

    /// <summary>Opens a sealed chunk into <paramref name="plain"/> (its length less the tag); throws when anything was changed.</summary>
    public static int Open(AesGcm aes, Guid fileId, int seq, bool last, ReadOnlySpan<byte> sealedChunk, Span<byte> plain)
    {
        var length = sealedChunk.Length - TagBytes;
        if (length < 0)
        {
            throw new CryptographicException("A stored chunk is shorter than its tag.");
        }
        Span<byte> nonce = stackalloc byte[NonceBytes];
        BinaryPrimitives.WriteInt32BigEndian(nonce[^4..], seq);
        aes.Decrypt(nonce, sealedChunk[..length], sealedChunk[length..], plain[..length], ChunkData(fileId, seq, last));
        return length;
    }

    private static byte[] WrapData(Guid fileId) => [.. "rs-interview-file-key:1:"u8, .. fileId.ToByteArray()];

    private static byte[] ChunkData(Guid fileId, int seq, bool last)
    {
        var data = new byte[16 + 4 + 1];
        fileId.TryWriteBytes(data);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(16), seq);
        data[20] = last ? (byte)1 : (byte)0;
        return data;
    }
}
