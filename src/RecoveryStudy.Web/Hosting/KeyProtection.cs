using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace RecoveryStudy.Web.Hosting;

/// <summary>
/// Encrypts the Data Protection key ring at rest. The keys live in PostgreSQL (shared by every
/// node), so without this anyone who can read the database or a backup of it can forge staff and
/// participant session cookies. With DataProtection:CertificatePath each new key is encrypted to
/// that certificate: a PKCS#12 file (.pfx/.p12, with DataProtection:CertificatePassword) or a PEM
/// certificate with its private key in DataProtection:KeyPath. Certificates named in
/// DataProtection:PreviousCertificatePaths (PKCS#12 with the same password) still decrypt the
/// keys written before a certificate was replaced.
/// </summary>
public static class KeyProtection
{
    public const string CertificatePathKey = "DataProtection:CertificatePath";
    public const string CertificatePasswordKey = "DataProtection:CertificatePassword";
    public const string KeyPathKey = "DataProtection:KeyPath";
    public const string PreviousCertificatePathsKey = "DataProtection:PreviousCertificatePaths";

    public static IDataProtectionBuilder ProtectKeysAsConfigured(this IDataProtectionBuilder protection, IConfiguration configuration)
    {
        var path = configuration[CertificatePathKey];
        if (string.IsNullOrWhiteSpace(path))
        {
            return protection;
        }
        var password = configuration[CertificatePasswordKey];
        var current = Load(path, password, configuration[KeyPathKey]);
        var previous = (configuration[PreviousCertificatePathsKey] ?? "")
            .Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => Load(p, password, keyPath: null));
        // On Linux the decryptor does not search a certificate store: it is given every certificate it may use.
        return protection.ProtectKeysWithCertificate(current).UnprotectKeysWithAnyCertificate([current, .. previous]);
    }

    private static X509Certificate2 Load(string path, string? password, string? keyPath)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{CertificatePathKey}: the file '{path}' does not exist or cannot be read.");
        }
        var certificate = string.IsNullOrWhiteSpace(keyPath)
            ? X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet)
            : X509Certificate2.CreateFromPemFile(path, keyPath);
        return certificate.HasPrivateKey
            ? certificate
            : throw new InvalidOperationException($"{CertificatePathKey}: '{path}' has no private key, so the keys it encrypts could not be read back.");
    }
}
