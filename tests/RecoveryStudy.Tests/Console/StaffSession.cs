using System.Net;
using System.Text.RegularExpressions;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Tests.StaffConsole;

/// <summary>Staff accounts with a known password, and HTTP clients signed in as them.</summary>
public static partial class StaffSession
{
    public const string Password = "correct horse battery staple";

    public static async Task<StaffUser> CreateUserAsync(StudyDbContext db, string role, string? email = null)
    {
        var user = new StaffUser
        {
            Email = email ?? $"{role}-{Guid.NewGuid():N}@example.org",
            Role = role,
            PasswordHash = "",
            CreatedAt = DateTime.UtcNow,
        };
        user.PasswordHash = StaffSignIn.Hash(user, Password);
        db.StaffUsers.Add(user);
        await db.SaveChangesAsync();
        return user;
    }

    /// <summary>A client that does not follow redirects, signed in through the real sign-in form.</summary>
    public static async Task<HttpClient> SignInAsync(TestApp app, string email, string password = Password)
    {
        var client = app.CreateClient(followRedirects: false);
        var response = await PostFormAsync(client, StaffAuth.SignInPath, new() { ["Email"] = email, ["Password"] = password });
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Sign-in as {email} answered {(int)response.StatusCode}.");
        }
        return client;
    }

    /// <summary>GETs the page for its anti-forgery token, then POSTs the form to it.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, Dictionary<string, string> fields, string? formPage = null)
    {
        var page = await client.GetStringAsync(new Uri(formPage ?? path, UriKind.Relative));
        var token = AntiforgeryField().Match(page);
        if (!token.Success)
        {
            throw new InvalidOperationException($"No anti-forgery token on {formPage ?? path}.");
        }
        var form = new Dictionary<string, string>(fields) { ["__rs_af"] = WebUtility.HtmlDecode(token.Groups[1].Value) };
        using var content = new FormUrlEncodedContent(form);
        return await client.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    [GeneratedRegex("name=\"__rs_af\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
