using System.Net;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Survey;

/// <summary>
/// A survey page view costs at most three database round trips: showing a page, saving it and
/// moving on, and submitting the last one (the survey structure of a version comes from a cache).
/// </summary>
public sealed class RoundTripTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private const int MaxRoundTrips = 3;
    private readonly RoundTripCounter counter = new();
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(database.ConnectionString, configure: counter.AddTo);

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Showing_saving_and_submitting_a_page_each_take_at_most_three_round_trips()
    {
        await using (var db = database.CreateContext())
        {
            // A first participant warms the host up (key ring, compiled queries, the structure cache).
            var first = await SurveyWorld.CreateAsync(db);
            using var warm = await SurveyHttp.OpenAsync(app, first);
            await SurveyHttp.AnswerFirstPagesAsync(warm);
        }
        await using var context = database.CreateContext();
        var world = await SurveyWorld.CreateAsync(context);
        using var client = await SurveyHttp.OpenAsync(app, world);

        var html = await MeasuredGetAsync(client, "/survey/page/1");
        await MeasuredPostAsync(client, 1, html, "next", ("mod_useful", "4"), ("recommend", "1"), ("attended", "1"));
        html = await MeasuredGetAsync(client, "/survey/page/3");
        await MeasuredPostAsync(client, 3, html, "next", ("hours", "12"), ("comments", "Fine"));
        html = await MeasuredGetAsync(client, "/survey/page/4");
        var submitted = await MeasuredPostAsync(client, 4, html, "submit", ("who_1", "1"), ("who_2", "2"));
        Assert.Equal("/survey/thanks", submitted.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_page_view_reads_the_answers_in_a_statement_of_their_own_not_multiplied_by_consent_marks_or_instruments()
    {
        await using var db = database.CreateContext();
        var world = await SurveyWorld.CreateAsync(db);
        using var client = await SurveyHttp.OpenAsync(app, world);
        await SurveyHttp.AnswerFirstPagesAsync(client);

        await MeasuredGetAsync(client, "/survey/page/4");

        // One statement for all of it would repeat every answer once per consent mark and per
        // instrument, each row carrying the invitation's, wave's and study's columns.
        var reads = counter.Statements.Where(s => s.Contains("FROM answers", StringComparison.Ordinal) || s.Contains("JOIN answers", StringComparison.Ordinal)).ToList();
        var read = Assert.Single(reads);
        Assert.DoesNotContain("consent_records", read, StringComparison.Ordinal);
        Assert.DoesNotContain("wave_instruments", read, StringComparison.Ordinal);
        Assert.DoesNotContain("studies", read, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_view_of_a_cached_wave_reads_neither_its_instruments_nor_their_versions()
    {
        await using var db = database.CreateContext();
        var world = await SurveyWorld.CreateAsync(db);
        using var client = await SurveyHttp.OpenAsync(app, world);
        await MeasuredGetAsync(client, "/survey/page/1");

        await MeasuredGetAsync(client, "/survey/page/1");

        // They come from WaveStructures, keyed on the wave's structure revision the first statement reads.
        Assert.Contains(counter.Statements, s => s.Contains("structure_revision", StringComparison.Ordinal));
        Assert.DoesNotContain(counter.Statements, s => s.Contains("wave_instruments", StringComparison.Ordinal));
        Assert.DoesNotContain(counter.Statements, s => s.Contains("instrument_versions", StringComparison.Ordinal));
    }

    private async Task<string> MeasuredGetAsync(ParticipantClient client, string path)
    {
        counter.Reset();
        var response = await client.Http.GetAsync(new Uri(path, UriKind.Relative));
        var trips = counter.Count;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(trips <= MaxRoundTrips, $"GET {path}: {trips} round trips:\n{counter.Seen}");
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<HttpResponseMessage> MeasuredPostAsync(ParticipantClient client, int number, string html, string nav, params (string Name, string Value)[] fields)
    {
        var form = new List<KeyValuePair<string, string>> { new("__rs_af", ParticipantClient.AntiforgeryToken(html)), new("nav", nav) };
        form.AddRange(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        counter.Reset();
        var response = await client.PostAsync($"/survey/page/{number}", form);
        var trips = counter.Count;
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.True(trips <= MaxRoundTrips, $"POST page {number} ({nav}): {trips} round trips:\n{counter.Seen}");
        return response;
    }
}
