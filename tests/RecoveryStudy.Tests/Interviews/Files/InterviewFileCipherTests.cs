using System.Security.Cryptography;
using RecoveryStudy.Interviews.Files;

namespace RecoveryStudy.Tests.Interviews.Files;

/// <summary>The envelope refuses a wrong master key, and a chunk moved to another place, file or end.</summary>
public sealed class InterviewFileCipherTests
{
    private static readonly Guid File = Guid.NewGuid();
    private static readonly byte[] Master = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public void A_sealed_chunk_opens_only_at_its_own_place_in_its_own_file()
    {
        var fileKey = InterviewFileCipher.Unwrap(Master, File, InterviewFileCipher.Wrap(Master, File, InterviewFileCipher.NewFileKey()));
        using var aes = new AesGcm(fileKey, InterviewFileCipher.TagBytes);
        var plain = "what was said"u8.ToArray();
        var sealedChunk = InterviewFileCipher.Seal(aes, File, 3, last: false, plain);
        var output = new byte[plain.Length];

        Assert.Equal(plain.Length, InterviewFileCipher.Open(aes, File, 3, false, sealedChunk, output));
        Assert.Equal(plain, output);
        Assert.ThrowsAny<CryptographicException>(() => InterviewFileCipher.Open(aes, File, 2, false, sealedChunk, output));
        Assert.ThrowsAny<CryptographicException>(() => InterviewFileCipher.Open(aes, File, 3, true, sealedChunk, output));
        Assert.ThrowsAny<CryptographicException>(() => InterviewFileCipher.Open(aes, Guid.NewGuid(), 3, false, sealedChunk, output));
        sealedChunk[0] ^= 1;
        Assert.ThrowsAny<CryptographicException>(() => InterviewFileCipher.Open(aes, File, 3, false, sealedChunk, output));
    }

    [Fact]
    public void A_file_key_unwraps_only_with_its_master_key_and_for_its_file()
    {
        var wrapped = InterviewFileCipher.Wrap(Master, File, InterviewFileCipher.NewFileKey());

        Assert.ThrowsAny<CryptographicException>(() => InterviewFileCipher.Unwrap(RandomNumberGenerator.GetBytes(32), File, wrapped));
        Assert.ThrowsAny<CryptographicException>(() => InterviewFileCipher.Unwrap(Master, Guid.NewGuid(), wrapped));
    }
}
