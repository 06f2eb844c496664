using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.Survey;

/// <summary>An HTTP client with its own cookies that speaks to the participant pages as a browser's forms would.</summary>
public sealed class ParticipantClient : IDisposable
{
    private readonly HttpClient client;

    public ParticipantClient(TestApp app) => client = app.CreateClient(followRedirects: false);

    public HttpClient Http => client;

    /// <summary>Follows redirects by hand, so each response's status stays visible.</summary>
    public async Task<(HttpResponseMessage Response, string Body, string Path)> GetAsync(string path)
    {
        var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        for (var i = 0; i < 5 && response.Headers.Location is { } location; i++)
        {
            path = location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;
            response = await client.GetAsync(new Uri(path, UriKind.Relative));
        }
        return (response, await response.Content.ReadAsStringAsync(), path);
    }

    /// <summary>Reads the anti-forgery token of the first form on a page.</summary>
    public static string AntiforgeryToken(string html) =>
        Parse(html).QuerySelector("input[name='__rs_af']")?.GetAttribute("value") ?? throw new InvalidOperationException("no anti-forgery token on the page");

    public static IHtmlDocument Parse(string html) => new HtmlParser().ParseDocument(html);

    public async Task<HttpResponseMessage> PostAsync(string path, IEnumerable<KeyValuePair<string, string>> fields)
    {
        using var content = new FormUrlEncodedContent(fields);
        return await client.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    public void Dispose() => client.Dispose();
}
