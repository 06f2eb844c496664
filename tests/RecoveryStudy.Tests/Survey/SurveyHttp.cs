using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Survey;

/// <summary>Steps of the survey over plain HTTP, for tests that post what no browser would.</summary>
public static class SurveyHttp
{
    public static async Task<ParticipantClient> OpenAsync(TestApp app, SurveyWorld world)
    {
        var client = new ParticipantClient(app);
        var (response, _, path) = await client.GetAsync("/s/" + world.SurveyToken);
        Assert.Equal("/survey", path);
        response.EnsureSuccessStatusCode();
        return client;
    }

    /// <summary>Posts a page with its anti-forgery token, as the browser would; returns the response unfollowed.</summary>
    public static async Task<HttpResponseMessage> PostPageAsync(ParticipantClient client, int number, params (string Name, string Value)[] fields) =>
        await PostPageAsync(client, number, "next", fields);

    public static async Task<HttpResponseMessage> PostPageAsync(ParticipantClient client, int number, string nav, params (string Name, string Value)[] fields)
    {
        var (_, html, _) = await client.GetAsync($"/survey/page/{number}");
        var form = new List<KeyValuePair<string, string>> { new("__rs_af", ParticipantClient.AntiforgeryToken(html)), new("nav", nav) };
        form.AddRange(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        return await client.PostAsync($"/survey/page/{number}", form);
    }

    /// <summary>Answers the first page (and, when attendance was partial, the second) validly.</summary>
    public static async Task AnswerFirstPagesAsync(ParticipantClient client, string attended = "1")
    {
        var first = await PostPageAsync(client, 1, ("mod_useful", "4"), ("recommend", "1"), ("attended", attended));
        Assert.Equal(System.Net.HttpStatusCode.Redirect, first.StatusCode);
        if (attended != "1")
        {
            var second = await PostPageAsync(client, 2, ("attended_why", "Shifts"));
            Assert.Equal(System.Net.HttpStatusCode.Redirect, second.StatusCode);
        }
    }
}
