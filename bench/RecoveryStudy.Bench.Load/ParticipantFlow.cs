using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace RecoveryStudy.Bench;

/// <summary>How the participants of one flow arrive and how long they read each page.</summary>
/// <param name="ArrivalSpread">Each participant opens the link at a random moment within this span (zero: all at the same instant).</param>
/// <param name="ReadingMs">The time a participant spends on a page before answering it, drawn between these bounds ((0, 0): none).</param>
internal sealed record FlowPacing(string Name, TimeSpan ArrivalSpread, (int Min, int Max) ReadingMs)
{
    /// <summary>Every participant at the same instant, answering each page as soon as it arrives: a stress test, not people.</summary>
    public static readonly FlowPacing Burst = new("burst", TimeSpan.Zero, (0, 0));

    /// <summary>Participants arriving over 10 s and reading each page for 2-6 s before answering: people on their phones.</summary>
    public static readonly FlowPacing Paced = new("paced", TimeSpan.FromSeconds(10), (2_000, 6_000));
}

/// <summary>
/// One flow of participants through the survey of <c>SurveyWorld</c>: each opens the link, sees the
/// introduction, answers page 1 and page 3, closes the browser, pauses 0.5-3 s, comes back through
/// the link (`/survey` sends them on to page 4), submits and sees the thanks page. Every request is
/// timed by page type; an error is any answer other than the one a browser gets (200, or the expected 302).
/// </summary>
internal sealed class ParticipantFlow(Uri baseAddress, FlowPacing pacing)
{
    private readonly ConcurrentDictionary<string, ConcurrentBag<double>> times = new();
    private readonly ConcurrentDictionary<string, int> errors = new();

    public bool HadErrors => !errors.IsEmpty;

    /// <summary>Plays every token's participant, all concurrently; returns the time until the last finished.</summary>
    public async Task<TimeSpan> RunAsync(IReadOnlyList<string> tokens)
    {
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(tokens.Select((token, index) => Task.Run(() => ParticipantAsync(token, index))));
        return watch.Elapsed;
    }

    /// <summary>p50, p95, p99 and errors per page type, as a Markdown table.</summary>
    public IEnumerable<string> Table()
    {
        yield return "| page type | requests | p50 ms | p95 ms | p99 ms | errors |";
        yield return "| --- | --- | --- | --- | --- | --- |";
        foreach (var (type, bag) in times.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            var sorted = bag.Order().ToArray();
            double P(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
            yield return $"| {type} | {sorted.Length} | {P(0.50):F1} | {P(0.95):F1} | {P(0.99):F1} | {errors.GetValueOrDefault(type)} |";
        }
    }

    private async Task ParticipantAsync(string token, int index)
    {
        var random = new Random(index);
        await Task.Delay(TimeSpan.FromMilliseconds(random.NextDouble() * pacing.ArrivalSpread.TotalMilliseconds));
        using (var client = NewClient())
        {
            await TimedAsync("link /s/{token}", () => client.GetAsync(new Uri("/s/" + token, UriKind.Relative)), HttpStatusCode.Redirect);
            await TimedAsync("intro /survey", () => client.GetAsync(new Uri("/survey", UriKind.Relative)), HttpStatusCode.OK);
            await ReadAsync(random);
            var html = await GetPageAsync(client, 1);
            await ReadAsync(random);
            await PostPageAsync(client, 1, html, "next", ("mod_useful", "4"), ("recommend", "1"), ("attended", "1"));
            html = await GetPageAsync(client, 3);
            await ReadAsync(random);
            await PostPageAsync(client, 3, html, "next", ("hours", "12"), ("comments", "Useful, thank you"));
        }
        // The pause: the browser is closed; the participant comes back later through the emailed link.
        await Task.Delay(random.Next(500, 3000));
        using (var client = NewClient())
        {
            await TimedAsync("link /s/{token}", () => client.GetAsync(new Uri("/s/" + token, UriKind.Relative)), HttpStatusCode.Redirect);
            await TimedAsync("resume /survey", () => client.GetAsync(new Uri("/survey", UriKind.Relative)), HttpStatusCode.Redirect);
            var html = await GetPageAsync(client, 4);
            await ReadAsync(random);
            await PostPageAsync(client, 4, html, "submit", ("who_1", "3"), ("who_2", "4"));
            await TimedAsync("thanks", () => client.GetAsync(new Uri("/survey/thanks", UriKind.Relative)), HttpStatusCode.OK);
        }
    }

    private Task ReadAsync(Random random) =>
        pacing.ReadingMs.Max == 0 ? Task.CompletedTask : Task.Delay(random.Next(pacing.ReadingMs.Min, pacing.ReadingMs.Max));

    private HttpClient NewClient() => NewClient(baseAddress);

    /// <summary>A browser's view of the host: its own cookies, redirects seen rather than followed.</summary>
    public static HttpClient NewClient(Uri baseAddress) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = baseAddress };

    private async Task<HttpResponseMessage> TimedAsync(string type, Func<Task<HttpResponseMessage>> send, HttpStatusCode expected)
    {
        var started = Stopwatch.GetTimestamp();
        var response = await send();
        await response.Content.LoadIntoBufferAsync();
        times.GetOrAdd(type, _ => []).Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (response.StatusCode != expected)
        {
            errors.AddOrUpdate(type, 1, (_, n) => n + 1);
        }
        return response;
    }

    private async Task<string> GetPageAsync(HttpClient client, int number) =>
        await (await TimedAsync("page GET", () => client.GetAsync(new Uri($"/survey/page/{number}", UriKind.Relative)), HttpStatusCode.OK))
            .Content.ReadAsStringAsync();

    private async Task PostPageAsync(HttpClient client, int number, string html, string nav, params (string Name, string Value)[] fields)
    {
        var form = new List<KeyValuePair<string, string>> { new("__rs_af", AntiForgeryToken(html)), new("nav", nav) };
        form.AddRange(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        using var content = new FormUrlEncodedContent(form);
        await TimedAsync("page POST", () => client.PostAsync(new Uri($"/survey/page/{number}", UriKind.Relative), content), HttpStatusCode.Redirect);
    }

    private static string AntiForgeryToken(string html)
    {
        var field = html.IndexOf("name=\"__rs_af\"", StringComparison.Ordinal);
        if (field < 0)
        {
            throw new InvalidOperationException("the page carries no anti-forgery field");
        }
        var tagStart = html.LastIndexOf('<', field);
        var value = html.IndexOf("value=\"", tagStart, StringComparison.Ordinal) + 7;
        return html[value..html.IndexOf('"', value)];
    }
}
