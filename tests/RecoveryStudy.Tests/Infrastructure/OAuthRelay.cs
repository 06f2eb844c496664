namespace RecoveryStudy.Tests.Infrastructure;

/// <summary>A token endpoint and an SMTP relay that accepts only its live tokens (AUTH XOAUTH2), both on 127.0.0.1.</summary>
public sealed class OAuthRelay : IAsyncLifetime
{
    public TokenServer Tokens { get; } = new();
    public SmtpSink Sink { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Tokens.InitializeAsync();
        Sink = new SmtpSink(Tokens.IntrospectionUrl);
        await Sink.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Sink.DisposeAsync();
        await Tokens.DisposeAsync();
    }
}
