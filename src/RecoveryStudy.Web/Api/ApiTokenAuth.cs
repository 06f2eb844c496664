using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;
using RecoveryStudy.Survey;

namespace RecoveryStudy.Web.Api;

/// <summary>
/// Per-user API tokens: "Authorization: Bearer TOKEN". Only the token's SHA-256 hash is stored;
/// a revoked or expired token, or one of a disabled account, is refused. Cookies are not accepted on the API, and
/// tokens are not accepted anywhere else.
/// </summary>
public static class ApiTokenAuth
{
    public const string Scheme = "ApiToken";

    /// <summary>
    /// The API's one rule: a valid token of an admin, or of a researcher, data manager or analyst of
    /// the study in the route (checked by <see cref="Auth.StudyAuthorizationHandler"/>, sites included).
    /// </summary>
    public const string DataPolicy = "api:data";

    public static readonly string[] DataRoles = [StaffRole.Analyst, StaffRole.Researcher, StaffRole.Admin];

    public static IHostApplicationBuilder AddApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiTokenHandler>(Scheme, null);
        builder.Services.AddAuthorizationBuilder().AddPolicy(DataPolicy, policy => policy
            .AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser()
            .AddRequirements(new Auth.StaffRequirement(new Auth.StaffPolicies.Rule(DataRoles, Auth.StaffPolicies.DatasetRoles))));
        return builder;
    }

    /// <summary>Issues a token for a staff member; the token is returned once, only its hash is kept.</summary>
    public static Task<string> IssueAsync(StudyDbContext db, TimeProvider clock, Actor actor, StaffUser user, string name, CancellationToken ct) =>
        IssueAsync(db, clock, actor, user, name, null, ct);

    /// <summary>Issues a token that is refused from <paramref name="expiresAt"/> on (null: until revoked).</summary>
    public static async Task<string> IssueAsync(StudyDbContext db, TimeProvider clock, Actor actor, StaffUser user, string name, DateTime? expiresAt, CancellationToken ct)
    {
        var (token, hash) = LinkTokens.Create();
        var apiToken = new ApiToken { StaffUserId = user.Id, Name = name, Hash = hash, CreatedAt = clock.GetUtcNow().UtcDateTime, ExpiresAt = expiresAt };
        db.ApiTokens.Add(apiToken);
        await db.SaveChangesAsync(ct);
        AuditLog.Add(db, clock, actor, "apitoken.issue", targetType: "api_token", targetId: apiToken.Id,
            details: new { staffUserId = user.Id, expiresAt });
        await db.SaveChangesAsync(ct);
        return token;
    }
}

internal sealed class ApiTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, StudyDbContext db, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return AuthenticateResult.NoResult();
        }
        if (LinkTokens.Hash(header["Bearer ".Length..].Trim()) is not { } hash)
        {
            return AuthenticateResult.Fail("malformed token");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var found = await db.ApiTokens.Where(t => t.Hash == hash && t.RevokedAt == null && (t.ExpiresAt == null || t.ExpiresAt > now))
            .Join(db.StaffUsers.Where(u => !u.Disabled), t => t.StaffUserId, u => u.Id, (t, u) => new { t.Id, UserId = u.Id, u.Role })
            .SingleOrDefaultAsync(Context.RequestAborted);
        if (found is null)
        {
            return AuthenticateResult.Fail("unknown, revoked or expired token, or disabled account");
        }
        await db.ApiTokens.Where(t => t.Id == found.Id).ExecuteUpdateAsync(u => u.SetProperty(t => t.LastUsedAt, now), Context.RequestAborted);
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, found.UserId.ToString(CultureInfo.InvariantCulture)),
            new Claim(ClaimTypes.Role, found.Role),
        ], ApiTokenAuth.Scheme);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), ApiTokenAuth.Scheme));
    }
}
