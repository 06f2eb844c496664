namespace RecoveryStudy.Tests.Infrastructure;

/// <summary>A token endpoint and a Dovecot that accepts its live tokens (AUTH=XOAUTH2), both on 127.0.0.1.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class OAuthMailbox : IAsyncLifetime
{
    public TokenServer Tokens { get; } = new();
    public DovecotServer Imap { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Tokens.InitializeAsync();
        Imap = new DovecotServer(Tokens.IntrospectionUrl);
        await Imap.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Imap.DisposeAsync();
        await Tokens.DisposeAsync();
    }
}
