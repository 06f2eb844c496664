using System.Collections.Concurrent;
using System.Security.Cryptography;
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
            if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret || form["scope"] != Scope)
            {
                return Results.Json(new { error = "invalid_client", error_description = "unknown client, secret or scope" }, statusCode: 401);
            }
            subject = "";
        }
        else if (form["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer" && VerifiedClaims(form["assertion"].ToString()) is { } claims
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

    /// <summary>The payload of an RS256 JWT signed by the service account's key; null when the signature is wrong.</summary>
    private JsonElement? VerifiedClaims(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }
        var signed = ServiceAccountKey.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), FromBase64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
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
    }
}
