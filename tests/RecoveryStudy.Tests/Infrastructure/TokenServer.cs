using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace RecoveryStudy.Tests.Infrastructure;

/// <summary>
/// A real OAuth2 token endpoint on 127.0.0.1 (Kestrel) for the XOAUTH2 tests. POST /token issues
/// an access token for the client-credentials grant with <see cref="ClientId"/> and
/// <see cref="ClientSecret"/>, or for a Google-style JWT bearer assertion signed by
/// <see cref="ServiceAccountKey"/>; each lives <see cref="Lifetime"/> on <see cref="Clock"/>.
/// POST /introspect (RFC 7662, as a mail server asks) says whether a token is active now. With
/// <see cref="IssueRefusedTokens"/> it hands out tokens that introspection calls inactive.
/// </summary>
public sealed class TokenServer : IAsyncLifetime
{
    public const string ClientId = "rs-test-client";
    public const string Scope = "https://mail.test/.default";

    private readonly ConcurrentDictionary<string, (DateTimeOffset Expires, bool Refused, string Subject)> issued = new();
    private WebApplication? app;
    private int requests;

    public string ClientSecret { get; } = Guid.NewGuid().ToString("N");

    /// <summary>The key of a made-up Google service account, whose assertions the endpoint checks.</summary>
    public RSA ServiceAccountKey { get; } = RSA.Create(2048);

    /// <summary>The client's certificate (its public part registered here), for client assertions (RFC 7523).</summary>
    public X509Certificate2 ClientCertificate { get; } = MakeCertificate();

    private static X509Certificate2 MakeCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=rs-test-client", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    public const string ServiceAccountEmail = "mailer@rs-test.iam.gserviceaccount.test";

    public TimeProvider Clock { get; set; } = TimeProvider.System;
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(2);
    public bool IssueRefusedTokens { get; set; }

    /// <summary>Token requests answered with a token.</summary>
    public int TokensIssued => Volatile.Read(ref requests);

    public string TokenUrl { get; private set; } = "";
    public string IntrospectionUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        app = builder.Build();
        app.MapPost("/token", async (HttpRequest request) => Issue(await request.ReadFormAsync()));
        app.MapPost("/introspect", async (HttpRequest request) =>
        {
            var token = (await request.ReadFormAsync())["token"].ToString();
            var active = issued.TryGetValue(token, out var t) && !t.Refused && Clock.GetUtcNow() < t.Expires;
            return Results.Json(new { active, username = active ? t.Subject : null });
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        TokenUrl = address + "/token";
        IntrospectionUrl = address + "/introspect";
    }

    private IResult Issue(IFormCollection form)
    {
        string subject;
        if (form["grant_type"] == "client_credentials")
        {
            var byAssertion = form["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
                && VerifiedClaims(form["client_assertion"].ToString(), ClientCertificate.GetRSAPublicKey()!) is { } claims
                && claims.GetProperty("iss").GetString() == ClientId && claims.GetProperty("sub").GetString() == ClientId
                && claims.GetProperty("aud").GetString() == TokenUrl && claims.GetProperty("exp").GetInt64() > Clock.GetUtcNow().ToUnixTimeSeconds();
            if (form["client_id"] != ClientId || (form["client_secret"] != ClientSecret && !byAssertion) || form["scope"] != Scope)
            {
                return Results.Json(new { error = "invalid_client", error_description = "unknown client, secret or scope" }, statusCode: 401);
            }
            subject = "";
        }
        else if (form["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer" && VerifiedClaims(form["assertion"].ToString(), ServiceAccountKey) is { } claims
            && claims.GetProperty("iss").GetString() == ServiceAccountEmail && claims.GetProperty("aud").GetString() == TokenUrl
            && claims.GetProperty("scope").GetString() == RecoveryStudy.Mail.OAuthSettings.GoogleScope)
        {
            subject = claims.GetProperty("sub").GetString() ?? "";
        }
        else
        {
            return Results.Json(new { error = "invalid_grant", error_description = "bad grant or assertion" }, statusCode: 400);
        }
        var token = "tok-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        issued[token] = (Clock.GetUtcNow() + Lifetime, IssueRefusedTokens, subject);
        Interlocked.Increment(ref requests);
        return Results.Json(new { access_token = token, token_type = "Bearer", expires_in = (int)Lifetime.TotalSeconds });
    }

    /// <summary>The payload of an RS256 JWT signed by <paramref name="key"/>; null when the signature is wrong.</summary>
    private static JsonElement? VerifiedClaims(string jwt, RSA key)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }
        var signed = key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), FromBase64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signed ? JsonDocument.Parse(FromBase64Url(parts[1])).RootElement : null;
    }

    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }

    /// <summary>A Google service account JSON key file for this endpoint, written to <paramref name="path"/>.</summary>
    public void WriteServiceAccountKey(string path) =>
        File.WriteAllText(path, JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["type"] = "service_account", ["client_email"] = ServiceAccountEmail, ["private_key_id"] = "k1",
            ["private_key"] = ServiceAccountKey.ExportPkcs8PrivateKeyPem(), ["token_uri"] = TokenUrl,
        }));

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        ServiceAccountKey.Dispose();
        ClientCertificate.Dispose();
    }
}
