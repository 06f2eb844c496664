using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Tests.StaffConsole.Account;

/// <summary>The lock-out holds under concurrent attempts, the throttle answers 429, refusals give nothing away.</summary>
public sealed partial class SignInLockoutTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static readonly Dictionary<string, string?> NoThrottle = new() { ["StaffAuth:SignInRequestsPerMinute"] = "10000" };

    [Fact]
    public async Task Sixty_parallel_wrong_passwords_then_the_right_one_leave_the_account_locked_after_at_most_the_allowed_checks()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString, NoThrottle);
        await using var db = database.CreateContext();
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Researcher);
        using var client = app.CreateClient(followRedirects: false);
        var form = await SignInForm.OpenAsync(client);

        var wrong = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => form.PostAsync(user.Email, $"wrong password {i}")));
        var right = await form.PostAsync(user.Email, StaffSession.Password);

        Assert.All(wrong, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(HttpStatusCode.OK, right);
        var stored = await db.StaffUsers.AsNoTracking().SingleAsync(u => u.Id == user.Id);
        Assert.True(stored.LockedUntil > DateTime.UtcNow, "the account is not locked");
        Assert.Null(stored.LastSignInAt);
        var reasons = await FailureReasonsAsync(db, user.Id);
        var checks = reasons.Count(r => r.Contains("WrongPassword", StringComparison.Ordinal));
        Assert.InRange(checks, 1, new StaffAuthOptions().MaxFailedSignIns);
        Assert.Equal(61, reasons.Count);
        Assert.Single(await db.AuditEntries.Where(a => a.Action == "staff.locked" && a.TargetId == Id(user)).ToListAsync());
    }

    [Fact]
    public async Task The_right_password_after_a_failure_resets_the_count_and_a_lock_ends_after_its_window()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString, NoThrottle);
        await using var db = database.CreateContext();
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Analyst);
        using var client = app.CreateClient(followRedirects: false);
        var form = await SignInForm.OpenAsync(client);
        var max = new StaffAuthOptions().MaxFailedSignIns;

        for (var i = 0; i < max - 1; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await form.PostAsync(user.Email, "wrong"));
        }
        using (await StaffSession.SignInAsync(app, user.Email))
        {
            Assert.Equal(0, (await db.StaffUsers.AsNoTracking().SingleAsync(u => u.Id == user.Id)).FailedSignIns);
        }

        // A lock whose window has passed lets the next attempt through, counted afresh.
        await db.StaffUsers.Where(u => u.Id == user.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.FailedSignIns, max).SetProperty(x => x.LockedUntil, DateTime.UtcNow.AddSeconds(-1)));
        Assert.Equal(HttpStatusCode.OK, await form.PostAsync(user.Email, "wrong"));
        var stored = await db.StaffUsers.AsNoTracking().SingleAsync(u => u.Id == user.Id);
        Assert.Equal(1, stored.FailedSignIns);
        Assert.Null(stored.LockedUntil);
    }

    [Fact]
    public async Task Sign_in_posts_beyond_the_per_address_limit_get_a_friendly_429_page_and_the_form_still_opens()
    {
        await using var app = await TestApp.StartAsync(database.ConnectionString, new Dictionary<string, string?> { ["StaffAuth:SignInRequestsPerMinute"] = "3" });
        using var client = app.CreateClient(followRedirects: false);
        var form = await SignInForm.OpenAsync(client);

        // The window is fixed and may turn over once during the test: three more than two windows allow still meet the limit.
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 9; i++)
        {
            answers.Add(await form.PostResponseAsync("nobody@example.org", "wrong"));
        }

        Assert.All(answers.Take(3), a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var refused = answers.Skip(3).FirstOrDefault(a => a.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.NotNull(refused);
        Assert.True(refused.Headers.RetryAfter is not null, "no Retry-After header");
        var body = await refused.Content.ReadAsStringAsync();
        Assert.Contains("Too many sign-in attempts", body, StringComparison.Ordinal);
        Assert.Contains("/css/console.css", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(StaffAuth.SignInPath, UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Unknown_disabled_locked_and_wrong_password_sign_ins_read_the_same_and_each_verifies_a_password_hash()
    {
        var hasher = new CountingHasher();
        await using var app = await TestApp.StartAsync(database.ConnectionString, NoThrottle,
            builder => builder.Services.AddSingleton<IPasswordHasher<StaffUser>>(hasher));
        await using var db = database.CreateContext();
        var known = await StaffSession.CreateUserAsync(db, StaffRole.Researcher);
        var disabled = await StaffSession.CreateUserAsync(db, StaffRole.Researcher);
        var locked = await StaffSession.CreateUserAsync(db, StaffRole.Researcher);
        disabled.Disabled = true;
        locked.LockedUntil = DateTime.UtcNow.AddMinutes(10);
        await db.SaveChangesAsync();
        using var client = app.CreateClient(followRedirects: false);
        var form = await SignInForm.OpenAsync(client);

        var messages = new List<string>();
        foreach (var (email, password) in new[]
        {
            ($"nobody-{Guid.NewGuid():N}@example.org", StaffSession.Password),
            (disabled.Email, StaffSession.Password),
            (locked.Email, StaffSession.Password),
            (known.Email, "wrong"),
        })
        {
            var before = hasher.Verifications;
            var page = await (await form.PostResponseAsync(email, password)).Content.ReadAsStringAsync();
            messages.Add(ErrorMessage().Match(page).Groups[1].Value);
            Assert.Equal(before + 1, hasher.Verifications);
        }

        Assert.Single(messages.Distinct());
        Assert.NotEqual("", messages[0]);
    }

    private static string Id(StaffUser user) => user.Id.ToString(CultureInfo.InvariantCulture);

    private static async Task<List<string>> FailureReasonsAsync(StudyDbContext db, int userId)
    {
        var id = userId.ToString(CultureInfo.InvariantCulture);
        var details = await db.AuditEntries.Where(a => a.Action == "signin.failed" && a.TargetId == id).Select(a => a.Details).ToListAsync();
        return details.Select(d => d ?? "").ToList();
    }

    [GeneratedRegex("id=\"signin-error\">([^<]*)<")]
    private static partial Regex ErrorMessage();

    /// <summary>Counts verifications made through the host's hasher, then verifies as the real one does.</summary>
    private sealed class CountingHasher : IPasswordHasher<StaffUser>
    {
        private readonly PasswordHasher<StaffUser> inner = new();
        private int verifications;

        public int Verifications => Volatile.Read(ref verifications);

        public string HashPassword(StaffUser user, string password) => inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(StaffUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref verifications);
            return inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}
