using System.Net;
using System.Text.RegularExpressions;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Tests.StaffConsole;

/// <summary>
/// The sign-in form opened once, so that many posts (in parallel too) share one anti-forgery
/// token and cookie, as a script replaying a captured form would.
/// </summary>
public sealed partial class SignInForm
{
    private readonly HttpClient client;
    private readonly string token;

    private SignInForm(HttpClient client, string token)
    {
        this.client = client;
        this.token = token;
    }

    public static async Task<SignInForm> OpenAsync(HttpClient client)
    {
        var page = await client.GetStringAsync(new Uri(StaffAuth.SignInPath, UriKind.Relative));
        var match = AntiforgeryField().Match(page);
        if (!match.Success)
        {
            throw new InvalidOperationException("No anti-forgery token on the sign-in page.");
        }
        return new SignInForm(client, WebUtility.HtmlDecode(match.Groups[1].Value));
    }

    public async Task<HttpStatusCode> PostAsync(string email, string password)
    {
        using var response = await PostResponseAsync(email, password);
        return response.StatusCode;
    }

    public async Task<HttpResponseMessage> PostResponseAsync(string email, string password)
    {
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Email"] = email, ["Password"] = password, ["__rs_af"] = token });
        return await client.PostAsync(new Uri(StaffAuth.SignInPath, UriKind.Relative), content);
    }

    [GeneratedRegex("name=\"__rs_af\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
