using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Tests.Infrastructure;

/// <summary>Staff accounts with a known password, and HTTP clients signed in as them.</summary>
public static partial class StaffSession
{
    public const string Password = "correct horse battery staple";

    /// <summary>A staff account; with <paramref name="joinStudies"/> a member of every study existing now (see <see cref="SignInAsync"/>).</summary>
    public static async Task<StaffUser> CreateUserAsync(StudyDbContext db, string role, string? email = null, bool joinStudies = true)
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
        if (joinStudies)
        {
            await JoinEveryStudyAsync(db, user.Email);
        }
        return user;
    }

    /// <summary>
    /// A client that does not follow redirects, signed in through the real sign-in form. With
    /// <paramref name="joinStudies"/>, a researcher or analyst account first becomes a member (with
    /// the role of the same name) of every study there is, as the upgrade to study membership made
    /// every existing account: the tests written before membership mean exactly that.
    /// </summary>
    public static async Task<HttpClient> SignInAsync(TestApp app, string email, string password = Password, bool joinStudies = true)
    {
        if (joinStudies)
        {
            await JoinEveryStudyAsync(app.Services, email);
        }
        var client = app.CreateClient(followRedirects: false);
        var response = await PostFormAsync(client, StaffAuth.SignInPath, new() { ["Email"] = email, ["Password"] = password });
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Sign-in as {email} answered {(int)response.StatusCode}.");
        }
        return client;
    }

    /// <summary>
    /// Signs in like <see cref="SignInAsync"/> and also returns the staff cookie as the browser got
    /// it ("rs_staff=..."), to be replayed later by <see cref="Replaying"/> as a saved copy would be.
    /// </summary>
    public static async Task<(HttpClient Client, string Cookie)> SignInSavingCookieAsync(TestApp app, string email, string password = Password)
    {
        await JoinEveryStudyAsync(app.Services, email);
        var client = app.CreateClient(followRedirects: false);
        var response = await PostFormAsync(client, StaffAuth.SignInPath, new() { ["Email"] = email, ["Password"] = password });
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Sign-in as {email} answered {(int)response.StatusCode}.");
        }
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(StaffAuth.CookieName + "=", StringComparison.Ordinal));
        return (client, cookie.Split(';')[0]);
    }

    /// <summary>Makes a researcher or analyst account a member of every existing study, with the role of the same name.</summary>
    public static async Task JoinEveryStudyAsync(IServiceProvider services, string email)
    {
        await using var scope = services.CreateAsyncScope();
        await JoinEveryStudyAsync(scope.ServiceProvider.GetRequiredService<StudyDbContext>(), email);
    }

    private static async Task JoinEveryStudyAsync(StudyDbContext db, string email)
    {
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO study_members (staff_user_id, study_id, role, created_at)
            SELECT u.id, s.id, u.role, now() FROM staff_users u CROSS JOIN studies s
            WHERE u.email = {email} AND u.role IN ('researcher', 'analyst')
            ON CONFLICT DO NOTHING
            """);
    }

    /// <summary>A client that sends exactly this cookie header with every request and keeps no cookies of its own.</summary>
    public static HttpClient Replaying(TestApp app, string cookie)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = app.BaseAddress };
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        return client;
    }

    /// <summary>True when the answer is the redirect to the sign-in page.</summary>
    public static bool IsSignInRedirect(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location is { } location
        && new Uri(response.RequestMessage!.RequestUri!, location).AbsolutePath == StaffAuth.SignInPath;

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
