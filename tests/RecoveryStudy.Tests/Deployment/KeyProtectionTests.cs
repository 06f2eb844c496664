using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Web.Hosting;

namespace RecoveryStudy.Tests.Deployment;

/// <summary>
/// The Data Protection key ring in PostgreSQL is encrypted to the configured certificate, so the
/// database (or a backup of it) alone does not give away the keys that protect session cookies.
/// Each test has a database of its own: a key made by another test would be reused.
/// </summary>
public sealed class KeyProtectionTests
{
    [Theory]
    [InlineData("pfx")]
    [InlineData("pem")]
    public async Task With_a_certificate_the_stored_key_ring_holds_no_plain_key_material(string format)
    {
        using var certificate = new TestCertificate();
        var settings = format == "pfx"
            ? new Dictionary<string, string?> { [KeyProtection.CertificatePathKey] = certificate.PfxPath, [KeyProtection.CertificatePasswordKey] = TestCertificate.Password }
            : new Dictionary<string, string?> { [KeyProtection.CertificatePathKey] = certificate.PemPath, [KeyProtection.KeyPathKey] = certificate.KeyPath };
        var connectionString = await SharedPostgres.CreateDatabaseAsync();
        try
        {
            var (protectedText, keys) = await ProtectAsync(connectionString, settings);

            var key = Assert.Single(keys);
            Assert.Contains("EncryptedData", key, StringComparison.Ordinal);
            // Encrypted to this certificate: the XML names it (its public part) for the decryptor.
            Assert.Contains(Convert.ToBase64String(certificate.Certificate.RawData), key.Replace("\n", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", key, StringComparison.Ordinal);

            // Another node (a new host on the same database and certificate) reads what the first protected.
            await using var other = await TestApp.StartAsync(connectionString, settings);
            Assert.Equal("payload", Protector(other).Unprotect(protectedText));
        }
        finally
        {
            await SharedPostgres.DropDatabaseAsync(connectionString);
        }
    }

    [Fact]
    public async Task Without_a_certificate_the_key_is_stored_in_plain_text()
    {
        // The contrast that shows the test above would see unprotected key material.
        var connectionString = await SharedPostgres.CreateDatabaseAsync();
        try
        {
            var (_, keys) = await ProtectAsync(connectionString, []);
            Assert.Contains("<value>", Assert.Single(keys), StringComparison.Ordinal);
        }
        finally
        {
            await SharedPostgres.DropDatabaseAsync(connectionString);
        }
    }

    [Fact]
    public async Task A_certificate_path_that_does_not_exist_stops_the_start_with_its_key()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApp.StartAsync("Host=127.0.0.1;Port=1",
            new Dictionary<string, string?> { [KeyProtection.CertificatePathKey] = "/nonexistent/keys.pfx" }));
        Assert.Contains(KeyProtection.CertificatePathKey, error.Message, StringComparison.Ordinal);
    }

    private static async Task<(string Protected, List<string> Keys)> ProtectAsync(string connectionString, Dictionary<string, string?> settings)
    {
        string protectedText;
        await using (var app = await TestApp.StartAsync(connectionString, settings))
        {
            protectedText = Protector(app).Protect("payload");
        }
        await using var db = DatabaseSetup.CreateContext(connectionString);
        var keys = await db.DataProtectionKeys.Select(k => k.Xml ?? "").ToListAsync();
        return (protectedText, keys);
    }

    private static IDataProtector Protector(TestApp app) =>
        app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("KeyProtectionTests");
}
