using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using OtpNet;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;

namespace RecoveryStudy.Web.Auth;

/// <summary>What a second-factor code turned out to be.</summary>
public enum SecondFactorUsed
{
    None,
    Totp,
    RecoveryCode,
}

/// <summary>
/// The staff second factor: TOTP codes (RFC 6238 with SHA-1, 6 digits, 30-second steps: what every
/// authenticator app reads), a step either side accepted for clock drift, and each step accepted
/// once per account (the last one is stored, so a code seen over a shoulder or in a log cannot be
/// replayed); plus one-time recovery codes, of which only hashes are stored. The key is kept
/// encrypted with the Data Protection key ring and never logged.
/// </summary>
public sealed class StaffTotp(StudyDbContext db, TimeProvider clock, IDataProtectionProvider protection)
{
    public const string Issuer = "RecoveryStudy";
    public const int RecoveryCodeCount = 8;
    private const string Purpose = "RecoveryStudy.StaffTotp.v1";
    private static readonly VerificationWindow Drift = new(previous: 1, future: 1);

    private IDataProtector Protector => protection.CreateProtector(Purpose);

    /// <summary>The account's key waiting for its first code (Base32), made now if it has none.</summary>
    public async Task<string> PendingSecretAsync(StaffUser user, CancellationToken ct)
    {
        if (user.TotpConfirmedAt is not null)
        {
            throw new InvalidOperationException("The second factor is active already; an admin resets it before a new key is made.");
        }
        if (user.TotpSecret is null)
        {
            user.TotpSecret = Protector.Protect(Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20)));
            await db.SaveChangesAsync(ct);
        }
        return Protector.Unprotect(user.TotpSecret);
    }

    /// <summary>The otpauth:// address an authenticator app reads (by QR code or pasted).</summary>
    public static string Uri(string secret, string email) => new OtpUri(OtpType.Totp, secret, email, Issuer).ToString();

    /// <summary>Makes the pending key active when the code fits it; false (nothing changed) otherwise.</summary>
    public async Task<bool> ConfirmAsync(StaffUser user, string code, CancellationToken ct)
    {
        if (user.TotpConfirmedAt is not null || Step(user, code) is not long step)
        {
            return false;
        }
        user.TotpConfirmedAt = clock.GetUtcNow().UtcDateTime;
        user.TotpLastStep = step;
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>
    /// Accepts a TOTP code of a step later than the last one accepted, or an unused recovery code
    /// (which is used up). One conditional UPDATE decides, so two requests with one code cannot both pass.
    /// </summary>
    public async Task<SecondFactorUsed> CheckAsync(StaffUser user, string input, CancellationToken ct)
    {
        if (user.TotpConfirmedAt is null)
        {
            return SecondFactorUsed.None;
        }
        if (Step(user, input) is long step)
        {
            var taken = await db.StaffUsers.Where(u => u.Id == user.Id && u.TotpLastStep < step)
                .ExecuteUpdateAsync(u => u.SetProperty(x => x.TotpLastStep, step), ct);
            return taken == 1 ? SecondFactorUsed.Totp : SecondFactorUsed.None;
        }
        if (RecoveryHash(input) is { } hash)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var used = await db.RecoveryCodes.Where(c => c.StaffUserId == user.Id && c.Hash == hash && c.UsedAt == null)
                .ExecuteUpdateAsync(c => c.SetProperty(x => x.UsedAt, now), ct);
            return used == 1 ? SecondFactorUsed.RecoveryCode : SecondFactorUsed.None;
        }
        return SecondFactorUsed.None;
    }

    /// <summary>New recovery codes for the account (the old ones stop working), shown once and stored as hashes.</summary>
    public async Task<IReadOnlyList<string>> NewRecoveryCodesAsync(int userId, CancellationToken ct)
    {
        await db.RecoveryCodes.Where(c => c.StaffUserId == userId).ExecuteDeleteAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var codes = new List<string>();
        for (var i = 0; i < RecoveryCodeCount; i++)
        {
            var code = Base32Encoding.ToString(RandomNumberGenerator.GetBytes(10)).ToLowerInvariant();
            code = string.Join('-', code.Chunk(4).Select(part => new string(part)));
            codes.Add(code);
            db.RecoveryCodes.Add(new RecoveryCode { StaffUserId = userId, Hash = RecoveryHash(code)!, CreatedAt = now });
        }
        await db.SaveChangesAsync(ct);
        return codes;
    }

    public Task<int> RecoveryCodesLeftAsync(int userId, CancellationToken ct) =>
        db.RecoveryCodes.CountAsync(c => c.StaffUserId == userId && c.UsedAt == null, ct);

    /// <summary>Removes the key and the recovery codes: the account signs in with its password alone until it enrols again.</summary>
    public async Task ResetAsync(StaffUser user, CancellationToken ct)
    {
        user.TotpSecret = null;
        user.TotpConfirmedAt = null;
        user.TotpLastStep = 0;
        await db.RecoveryCodes.Where(c => c.StaffUserId == user.Id).ExecuteDeleteAsync(ct);
    }

    /// <summary>True when the text has the shape of a TOTP code (6 digits, spaces allowed).</summary>
    public static bool LooksLikeCode(string? input) => Digits(input) is not null;

    private long? Step(StaffUser user, string? input)
    {
        if (user.TotpSecret is null || Digits(input) is not { } code)
        {
            return null;
        }
        var totp = new Totp(Base32Encoding.ToBytes(Protector.Unprotect(user.TotpSecret)));
        return totp.VerifyTotp(clock.GetUtcNow().UtcDateTime, code, out var step, Drift) ? step : null;
    }

    private static string? Digits(string? input)
    {
        var code = (input ?? "").Replace(" ", "", StringComparison.Ordinal).Trim();
        return code.Length == 6 && code.All(char.IsAsciiDigit) ? code : null;
    }

    // Recovery codes are 16 Base32 characters; dashes, spaces and case do not matter.
    private static byte[]? RecoveryHash(string? input)
    {
        var code = new string((input ?? "").Where(char.IsAsciiLetterOrDigit).ToArray()).ToUpperInvariant();
        return code.Length == 16 ? SHA256.HashData(Encoding.ASCII.GetBytes(code)) : null;
    }
}
