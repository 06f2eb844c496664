using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using RecoveryStudy.Interviews;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.Interviews.Files;

/// <summary>
/// An interview task (window 15 February to 29 March 2026) and the settings that let the console
/// store interview files: a master key made for this test run, and a size limit.
/// </summary>
public static partial class InterviewFileWorld
{
    public static readonly string MasterKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static Dictionary<string, string?> Settings(long maxBytes = 200L * 1024 * 1024) => new()
    {
        ["Interviews:FileKeys:test1"] = MasterKey,
        ["Interviews:FileKeyId"] = "test1",
        ["Interviews:MaxFileBytes"] = maxBytes.ToString(CultureInfo.InvariantCulture),
    };

    public static async Task<(InterviewWorld World, InterviewTask Task)> TaskAsync(DatabaseFixture database, string code)
    {
        var world = await InterviewWorld.CreateAsync(database, new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        var p = await world.ParticipantAsync(code, new DateOnly(2025, 3, 1), enrolledOn: new DateOnly(2025, 1, 10));
        await world.Jobs.Plan.RunAsync(CancellationToken.None);
        return (world, (await world.TasksAsync()).Single(t => t.ParticipantId == p.Id));
    }

    public static string FilesPath(InterviewWorld world, InterviewTask task) => $"/studies/{world.Study.Id}/interviews/{task.Id}/files";

    /// <summary>Posts the upload form as a browser does: the anti-forgery field (from the page), the kind, then the file.</summary>
    public static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string filesPath, string kind, string fileName, byte[] content, bool withToken = true)
    {
        var page = await client.GetStringAsync(new Uri(filesPath, UriKind.Relative));
        using var form = new MultipartFormDataContent();
        if (withToken)
        {
            var token = AntiforgeryField().Match(page);
            Assert.True(token.Success, $"no anti-forgery field on {filesPath}");
            form.Add(new StringContent(WebUtility.HtmlDecode(token.Groups[1].Value)), "__rs_af");
        }
        form.Add(new StringContent(kind), "Kind");
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "File", fileName);
        return await client.PostAsync(new Uri(filesPath + "?handler=Upload", UriKind.Relative), form);
    }

    /// <summary>A plain-text transcript of about <paramref name="bytes"/> bytes that repeats a recognisable sentence.</summary>
    public static byte[] Transcript(int bytes, string marker)
    {
        var line = System.Text.Encoding.UTF8.GetBytes($"{marker}: and then I said the group helped me most. ");
        var content = new byte[bytes];
        for (var i = 0; i < bytes; i++)
        {
            content[i] = line[i % line.Length];
        }
        return content;
    }

    [GeneratedRegex("name=\"__rs_af\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
