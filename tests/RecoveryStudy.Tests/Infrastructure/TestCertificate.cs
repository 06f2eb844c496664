using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RecoveryStudy.Tests.Infrastructure;

/// <summary>
/// A self-signed certificate made for one test, written to a temp folder of its own as PKCS#12
/// (with <see cref="Password"/>) and as PEM certificate and key: for the Data Protection key
/// encryption and for nginx's TLS.
/// </summary>
public sealed class TestCertificate : IDisposable
{
    public const string Password = "test-only-password";

    public TestCertificate(string commonName = "localhost")
    {
        Folder = Directory.CreateTempSubdirectory("rs-cert-").FullName;
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN={commonName}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(commonName);
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllBytes(PfxPath, Certificate.Export(X509ContentType.Pkcs12, Password));
        File.WriteAllText(PemPath, Certificate.ExportCertificatePem());
        File.WriteAllText(KeyPath, rsa.ExportPkcs8PrivateKeyPem());
    }

    public X509Certificate2 Certificate { get; }
    public string Folder { get; }
    public string PfxPath => Path.Combine(Folder, "certificate.pfx");
    public string PemPath => Path.Combine(Folder, "certificate.pem");
    public string KeyPath => Path.Combine(Folder, "certificate.key");

    public void Dispose()
    {
        Certificate.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}
