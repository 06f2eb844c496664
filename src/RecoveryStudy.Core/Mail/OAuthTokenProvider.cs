using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RecoveryStudy.Mail;

/// <summary>
/// Fetches, caches and renews the access token of one <see cref="OAuthSettings"/>: a plain POST to
/// the token endpoint (client credentials with a secret or a certificate-signed assertion, or a
/// Google service account's signed JWT; RFC 6749 4.4, RFC 7523). The token is reused until
/// <see cref="OAuthSettings.RefreshBefore"/> (at most half its lifetime) before it expires, then
/// fetched again before anyone needs it, so no sign-in is tried with an expired token. A token the
/// server refused is dropped (<see cref="Refused"/>), so the next attempt fetches a fresh one.
/// Thread-safe; one instance per configured sign-in. Tokens and secrets are never logged or put
/// into exception messages.
/// </summary>
public sealed class OAuthTokenProvider(OAuthSettings settings, string user, TimeProvider clock, HttpMessageHandler? handler = null) : IDisposable
{
    private readonly HttpClient http = new(handler ?? new SocketsHttpHandler(), disposeHandler: true) { Timeout = TimeSpan.FromSeconds(30) };
    private readonly SemaphoreSlim fetching = new(1, 1);
    private volatile Cached? current;

    private sealed record Cached(string Token, DateTimeOffset RefreshAt);

    public string User => user;

    /// <summary>A token that is valid for a while yet: the cached one, or a new one from the endpoint.</summary>
    public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (current is { } cached && clock.GetUtcNow() < cached.RefreshAt)
        {
            return cached.Token;
        }
        await fetching.WaitAsync(cancellationToken);
        try
        {
            if (current is { } again && clock.GetUtcNow() < again.RefreshAt)
            {
                return again.Token;
            }
            var fetched = await FetchAsync(cancellationToken);
            current = fetched;
            return fetched.Token;
        }
        finally
        {
            fetching.Release();
        }
    }

    /// <summary>The server refused this token: the next <see cref="GetTokenAsync"/> fetches another.</summary>
    public void Refused(string token)
    {
        if (current is { } cached && cached.Token == token)
        {
            current = null;
        }
    }

    private async Task<Cached> FetchAsync(CancellationToken cancellationToken)
    {
        var (endpoint, form) = Request();
        var asked = clock.GetUtcNow();
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync(endpoint, new FormUrlEncodedContent(form), cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new OAuthTokenException($"OAuth token endpoint {endpoint} unreachable: {e.Message}", e);
        }
        using (response)
        {
            TokenResponse? body;
            try
            {
                body = await response.Content.ReadFromJsonAsync<TokenResponse>(Json, cancellationToken);
            }
            catch (JsonException)
            {
                body = null;
            }
            if (!response.IsSuccessStatusCode || string.IsNullOrEmpty(body?.AccessToken))
            {
                // The error code and description name the problem (invalid_client, unauthorized_client ...), never the secret.
                throw new OAuthTokenException($"OAuth token endpoint {endpoint} answered {(int)response.StatusCode}: {body?.Error ?? "no access_token"} {Shorten(body?.ErrorDescription)}".TrimEnd());
            }
            var lifetime = TimeSpan.FromSeconds(Math.Max(body.ExpiresIn ?? 3600, 1));
            var margin = settings.RefreshBefore < lifetime / 2 ? settings.RefreshBefore : lifetime / 2;
            return new Cached(body.AccessToken, asked + lifetime - margin);
        }
    }

    private (string Endpoint, Dictionary<string, string> Form) Request()
    {
        var now = clock.GetUtcNow();
        if (settings.IsGoogleServiceAccount)
        {
            var key = JsonSerializer.Deserialize<ServiceAccountKey>(File.ReadAllText(settings.ServiceAccountKeyPath))
                ?? throw new OAuthTokenException("OAuth service account key file is empty");
            if (string.IsNullOrEmpty(key.ClientEmail) || string.IsNullOrEmpty(key.PrivateKey))
            {
                throw new OAuthTokenException("OAuth service account key file lacks client_email or private_key");
            }
            var endpoint = string.IsNullOrEmpty(key.TokenUri) ? "https://oauth2.googleapis.com/token" : key.TokenUri;
            using var rsa = RSA.Create();
            rsa.ImportFromPem(key.PrivateKey);
            // Domain-wide delegation: the service account acts as the mailbox named by "sub".
            var assertion = SignedJwt(rsa, new() { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = key.PrivateKeyId ?? "" }, new()
            {
                ["iss"] = key.ClientEmail, ["sub"] = user, ["scope"] = settings.EffectiveScope, ["aud"] = endpoint,
                ["iat"] = now.ToUnixTimeSeconds(), ["exp"] = now.AddMinutes(60).ToUnixTimeSeconds(),
            });
            return (endpoint, new() { ["grant_type"] = "urn:ietf:params:oauth:grant-type:jwt-bearer", ["assertion"] = assertion });
        }
        var tokenEndpoint = settings.ClientCredentialsEndpoint;
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = settings.ClientId.Trim(), ["scope"] = settings.EffectiveScope,
        };
        if (!string.IsNullOrEmpty(settings.ClientSecret))
        {
            form["client_secret"] = settings.ClientSecret;
            return (tokenEndpoint, form);
        }
        using var certificate = LoadCertificate();
        using var privateKey = certificate.GetRSAPrivateKey() ?? throw new OAuthTokenException("OAuth certificate has no RSA private key");
        form["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
        form["client_assertion"] = SignedJwt(privateKey,
            new() { ["alg"] = "RS256", ["typ"] = "JWT", ["x5t"] = Base64Url(certificate.GetCertHash(HashAlgorithmName.SHA1)), ["x5t#S256"] = Base64Url(certificate.GetCertHash(HashAlgorithmName.SHA256)) },
            new()
            {
                ["iss"] = settings.ClientId.Trim(), ["sub"] = settings.ClientId.Trim(), ["aud"] = tokenEndpoint, ["jti"] = Guid.NewGuid().ToString(),
                ["nbf"] = now.ToUnixTimeSeconds(), ["iat"] = now.ToUnixTimeSeconds(), ["exp"] = now.AddMinutes(10).ToUnixTimeSeconds(),
            });
        return (tokenEndpoint, form);
    }

    private X509Certificate2 LoadCertificate() =>
        string.IsNullOrWhiteSpace(settings.KeyPath)
            ? X509CertificateLoader.LoadPkcs12FromFile(settings.CertificatePath, settings.CertificatePassword, X509KeyStorageFlags.EphemeralKeySet)
            : X509Certificate2.CreateFromPemFile(settings.CertificatePath, settings.KeyPath);

    /// <summary>A compact JWS signed with RS256.</summary>
    internal static string SignedJwt(RSA key, Dictionary<string, object> header, Dictionary<string, object> payload)
    {
        var signingInput = Base64Url(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(payload));
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    // Some endpoints send expires_in as a string.
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowReadingFromString };

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Shorten(string? text) => text is null ? "" : text.Length <= 200 ? text : text[..200];

    public void Dispose()
    {
        http.Dispose();
        fetching.Dispose();
    }

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("expires_in")] int? ExpiresIn,
        [property: JsonPropertyName("error")] string? Error,
        [property: JsonPropertyName("error_description")] string? ErrorDescription);

    private sealed record ServiceAccountKey(
        [property: JsonPropertyName("client_email")] string? ClientEmail,
        [property: JsonPropertyName("private_key")] string? PrivateKey,
        [property: JsonPropertyName("private_key_id")] string? PrivateKeyId,
        [property: JsonPropertyName("token_uri")] string? TokenUri);
}

/// <summary>No token could be had: the endpoint is unreachable, refused the client, or the key material is unusable.</summary>
public sealed class OAuthTokenException(string message, Exception? inner = null) : Exception(message, inner);
