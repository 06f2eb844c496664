using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using RecoveryStudy.Mail;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.Mail;

/// <summary>
/// One node of a multi-node test in this process: a data source (connection pool) of its own, a
/// dispatcher and a dispatch job on it, sending to the SMTP sink. Nodes share only the database.
/// </summary>
public sealed class MailNode : IAsyncDisposable
{
    private readonly NpgsqlDataSource dataSource;

    private MailNode(NpgsqlDataSource dataSource, Dispatcher dispatcher, DispatchJob job)
    {
        this.dataSource = dataSource;
        Dispatcher = dispatcher;
        Job = job;
    }

    public Dispatcher Dispatcher { get; }
    public DispatchJob Job { get; }

    public static MailNode Create(DatabaseFixture database, SmtpSink sink, FakeTimeProvider clock, MailOptions mail)
    {
        var dataSource = database.CreateDataSource();
        var transport = new SmtpMailTransport(new SmtpSettings { Host = "127.0.0.1", Port = sink.Port, Security = "None", Timeout = TimeSpan.FromSeconds(10) });
        var dispatcher = new Dispatcher(dataSource, transport, Options.Create(mail),
            Options.Create(new PublicLinkOptions { PublicBaseUrl = "https://study.example.org" }), clock, NullLogger<Dispatcher>.Instance);
        return new MailNode(dataSource, dispatcher, new DispatchJob(dispatcher, dataSource, Options.Create(mail), clock, NullLogger<DispatchJob>.Instance));
    }

    /// <summary>Sends batches until one sends nothing; how many went out.</summary>
    public async Task<int> DrainAsync()
    {
        var sent = 0;
        while (true)
        {
            var result = await Dispatcher.DispatchBatchAsync(CancellationToken.None);
            sent += result.Sent;
            if (result.Sent == 0)
            {
                return sent;
            }
        }
    }

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();
}
