using Microsoft.AspNetCore.Authorization;
using RecoveryStudy.Data;

namespace RecoveryStudy.Web.Auth;

/// <summary>
/// Every role set a page or endpoint may allow, by name, in one place. Policies name no
/// authentication scheme, so they use the default one (the staff cookie); an endpoint that
/// accepts another scheme (API tokens) names it itself.
/// </summary>
public static class StaffPolicies
{
    /// <summary>Admins only: accounts, audit log, the job dashboard.</summary>
    public const string Admin = "staff:admin";

    /// <summary>Researchers and admins: enrollment, sending controls, contact details.</summary>
    public const string Research = "staff:research";

    /// <summary>Any signed-in staff member: dashboard, pseudonymous participant data, datasets.</summary>
    public const string AnyStaff = "staff:any";

    public static readonly IReadOnlyDictionary<string, string[]> Roles = new Dictionary<string, string[]>
    {
        [Admin] = [StaffRole.Admin],
        [Research] = [StaffRole.Admin, StaffRole.Researcher],
        [AnyStaff] = [StaffRole.Admin, StaffRole.Researcher, StaffRole.Analyst],
    };

    /// <summary>What an endpoint without a rule of its own gets: refused, whoever asks.</summary>
    public static readonly AuthorizationPolicy DenyAll = new AuthorizationPolicyBuilder()
        .RequireAssertion(_ => false)
        .Build();

    public static void Add(AuthorizationOptions options)
    {
        foreach (var (name, roles) in Roles)
        {
            options.AddPolicy(name, policy => policy.RequireAuthenticatedUser().RequireRole(roles));
        }
        options.FallbackPolicy = DenyAll;
    }
}
