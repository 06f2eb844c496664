using System.Net;
using System.Text.Json;

namespace RecoveryStudy.Tests.Infrastructure;

/// <summary>Reads the mail check out of the app's /health answer.</summary>
public static class MailHealth
{
    public static async Task<(HttpStatusCode Status, (string Status, string Description) Mail)> ReadAsync(HttpClient client)
    {
        var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var mail = body.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "mail");
        return (response.StatusCode, (mail.GetProperty("status").GetString()!, mail.GetProperty("description").GetString()!));
    }
}
