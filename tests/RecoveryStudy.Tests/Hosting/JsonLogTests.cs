using System.Net;
using System.Text.Json;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;
using RecoveryStudy.Web.Cli;

namespace RecoveryStudy.Tests.Hosting;

/// <summary>
/// `Logging:Format=json`: the web host and the CLI write one JSON object per line, and neither
/// a participant's address nor a link token gets into them.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class JsonLogTests(DatabaseFixture database, SmtpSink sink) : IClassFixture<DatabaseFixture>, IClassFixture<SmtpSink>
{
    [Fact]
    public async Task The_cli_writes_json_lines_without_addresses_or_tokens()
    {
        await using var world = await MailWorld.CreateAsync(database, sink);
        var refused = await world.ParticipantAsync("P-JSON-1");
        var delivered = await world.ParticipantAsync("P-JSON-2");
        await world.Jobs.Plan.RunAsync(CancellationToken.None);
        sink.RejectRecipient(refused.Contact!.Email, 550, $"5.1.1 <{refused.Contact.Email}> no such user");

        var (code, _, error) = await CliRun.RunAsync(database.ConnectionString, world.Clock, "mail", "dispatch",
            "--Logging:Format=json", "--Mail:Transport=smtp", "--Mail:Smtp:Host=127.0.0.1", $"--Mail:Smtp:Port={sink.Port}",
            "--Mail:Smtp:Security=None", "--Mail:RatePerMinute=0");

        Assert.True(code == 0, error);
        var lines = JsonLines(error);
        Assert.Contains(lines, l => l.GetProperty("Message").GetString()!.Contains("recipient rejected", StringComparison.Ordinal));
        var email = Assert.Single(sink.Messages(), m => m.To.Mailboxes.Any(b => b.Address == delivered.Contact!.Email));
        var token = System.Text.RegularExpressions.Regex.Match(email.TextBody ?? "", "/s/([A-Za-z0-9_-]{43})").Groups[1].Value;
        Assert.NotEmpty(token);
        Assert.DoesNotContain(refused.Contact.Email, error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(delivered.Contact!.Email, error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(token, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_web_host_writes_json_lines_without_addresses_or_tokens()
    {
        var output = new StringWriter();
        var (stdout, stderr) = (Console.Out, Console.Error);
        Console.SetOut(output);
        Console.SetError(output);
        const string token = "Zm9yZ2VkLXRva2VuLXRoYXQtc2hvdWxkLW5vdC1iZS1sb2dnZWQ";
        const string address = "someone.typing@example.org";
        try
        {
            await using (var app = await TestApp.StartAsync(database.ConnectionString, new Dictionary<string, string?> { ["Logging:Format"] = "json" }))
            {
                using var http = app.CreateClient(followRedirects: false);
                Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("/s/" + token, UriKind.Relative))).StatusCode);
                await StaffSession.PostFormAsync(http, "/signin", new() { ["Email"] = address, ["Password"] = "not the password" });
                // A line with a structured value, whatever else the host logs at the shipped levels.
                app.Services.GetRequiredService<ILogger<JsonLogTests>>().LogWarning("Marker {Number}", 42);
            }
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }

        var text = output.ToString();
        var lines = JsonLines(text);
        Assert.Contains(lines, l => l.GetProperty("Message").GetString() == "Marker 42" && l.GetProperty("State").GetProperty("Number").GetInt32() == 42);
        Assert.DoesNotContain(token, text, StringComparison.Ordinal);
        Assert.DoesNotContain(address, text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_log_format_that_is_neither_text_nor_json_is_refused_with_its_name()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            TestApp.StartAsync(database.ConnectionString, new Dictionary<string, string?> { ["Logging:Format"] = "xml" }));

        Assert.Contains("Logging:Format", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Every non-empty line parsed as one JSON object; fails on the first that is not.</summary>
    private static List<JsonElement> JsonLines(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.NotEmpty(lines);
        return lines.Select(line =>
        {
            using var document = JsonDocument.Parse(line);
            Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
            return document.RootElement.Clone();
        }).ToList();
    }
}
