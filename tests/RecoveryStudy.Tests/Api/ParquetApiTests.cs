using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Parquet;
using Parquet.Schema;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;
using RecoveryStudy.Web.Api;

namespace RecoveryStudy.Tests.Api;

public sealed class ParquetApiTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private string study = "";
    private string token = "";

    public async Task InitializeAsync()
    {
        await using var db = database.CreateContext();
        study = (await AnalystWorld.CreateAsync(db)).Study.Code;
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Analyst);
        token = await ApiTokenAuth.IssueAsync(db, TimeProvider.System, Actor.Cli, user, "test", CancellationToken.None);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Format_parquet_streams_the_wide_table_with_its_columns_and_values()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = Client(app);

        var response = await client.GetAsync(new Uri($"/api/studies/{study}/export?format=parquet&table=wide&wave=baseline", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(DataEndpoints.ParquetContentType, response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith("_baseline_wide.parquet", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var (fields, columns) = await ReadAsync(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(["participant", "cohort", "role", "participant_status", "invitation_status"], fields.Take(5).Select(f => f.Name));
        Assert.Contains("helpful_3", fields.Select(f => f.Name));
        Assert.Equal(typeof(double), fields.Single(f => f.Name == "who5_pct").ClrType);
        Assert.NotEqual(typeof(double), fields.Single(f => f.Name == "comment").ClrType);
        var participants = columns["participant"].Cast<string>().ToList();
        Assert.Equal(["P-0001", "P-0002", "P-0003", "P-0004", "P-0005", "P-0006"], participants);
        var first = participants.IndexOf("P-0001");
        Assert.Equal(68d, columns["who5_pct"][first]);
        Assert.Equal(3d, columns["wb1"][first]);
        Assert.Equal("c8", columns["cohort"][first]);
        Assert.Equal("peer mentor", columns["job"][first]);
        // P-0002 skipped wb3: the not-answered code, a number like every missing reason.
        Assert.Equal(-1d, columns["wb3"][participants.IndexOf("P-0002")]);
    }

    [Fact]
    public async Task Format_parquet_without_a_table_gives_wide_across_waves()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = Client(app);

        var bytes = await client.GetByteArrayAsync(new Uri($"/api/studies/{study}/export?format=parquet", UriKind.Relative));

        var (fields, columns) = await ReadAsync(bytes);
        Assert.Contains("wb1__baseline", fields.Select(f => f.Name));
        Assert.Contains("wb1__followup", fields.Select(f => f.Name));
        var first = columns["participant"].Cast<string>().ToList().IndexOf("P-0001");
        Assert.Equal(5d, columns["wb1__followup"][first]);
    }

    [Theory]
    [InlineData("format=xlsx", "format: 'xlsx' is not a format; use one of long, wide, wide-across, parquet, codebook, r, spss, stata")]
    [InlineData("format=parquet&table=pivot", "table: 'pivot' is not a table; use one of long, wide, wide-across")]
    [InlineData("format=long&table=wide", "table: only with format=parquet (for CSV the format names the table)")]
    [InlineData("format=parquet&table=wide", "wave: the wide table is per wave; name the wave")]
    public async Task An_unknown_format_or_table_is_refused_with_a_message_naming_it(string query, string message)
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = Client(app);

        var response = await client.GetAsync(new Uri($"/api/studies/{study}/export?{query}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(message, body.RootElement.GetProperty("error").GetString());
    }

    private HttpClient Client(TestApp app)
    {
        var client = app.CreateClient(followRedirects: false);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<(DataField[] Fields, Dictionary<string, object?[]> Columns)> ReadAsync(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        await using var reader = await ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.GetDataFields();
        Assert.Equal(1, reader.RowGroupCount);
        using var group = reader.OpenRowGroupReader(0);
        var columns = new Dictionary<string, object?[]>();
        foreach (var field in fields)
        {
            if (field.ClrType == typeof(double))
            {
                var values = new double?[group.RowCount];
                await group.ReadAsync<double>(field, values.AsMemory());
                columns[field.Name] = [.. values.Select(v => (object?)v)];
            }
            else
            {
                var values = new string?[group.RowCount];
                await group.ReadAsync(field, values.AsMemory());
                columns[field.Name] = [.. values];
            }
        }
        return (fields, columns);
    }
}
