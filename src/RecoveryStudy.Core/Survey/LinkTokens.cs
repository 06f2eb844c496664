using System.Buffers.Text;
using System.Security.Cryptography;

namespace RecoveryStudy.Survey;

/// <summary>
/// Personal link tokens: 256 random bits from the system's cryptographic generator, written as
/// base64url (43 characters). Only <see cref="Hash"/> of a token is ever stored.
/// </summary>
public static class LinkTokens
{
    public const int TokenBytes = 32;
    public const int TokenLength = 43;

    /// <summary>A new token and the hash to store for it.</summary>
    public static (string Token, byte[] Hash) Create()
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));
        return (token, SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(token)));
    }

    /// <summary>
    /// The hash to look a presented token up by, or null when it cannot be a token of ours
    /// (wrong length or characters), so that malformed input never reaches the database.
    /// </summary>
    public static byte[]? Hash(string? token)
    {
        if (token is null || token.Length != TokenLength || !token.All(IsBase64UrlChar))
        {
            return null;
        }
        return SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(token));
    }

    private static bool IsBase64UrlChar(char c) =>
        c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_';
}
