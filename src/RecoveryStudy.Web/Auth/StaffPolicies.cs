using Microsoft.AspNetCore.Authorization;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;

namespace RecoveryStudy.Web.Auth;

/// <summary>
/// Every rule a page or endpoint may declare, by name, in one place. A rule names the account roles
/// it allows on pages that are about no study (the study list, one's account, the protocol upload)
/// and the member roles it allows on pages of a study; <see cref="StudyAuthorizationHandler"/> tells
/// which applies from the route. Policies name no authentication scheme, so they use the default
/// one (the staff cookie); an endpoint that accepts another scheme (API tokens) names it itself.
/// </summary>
public static class StaffPolicies
{
    /// <summary>Admins only: accounts, audit log, the job dashboard, a study's members.</summary>
    public const string Admin = "staff:admin";

    /// <summary>Runs a study: protocol, enrollment, sending controls, test email, outbox. Researchers of the whole study.</summary>
    public const string Research = "staff:research";

    /// <summary>Participants' records: contact details, anchors, withdrawal, resend, bounces. Researchers and data managers.</summary>
    public const string Contacts = "staff:contacts";

    /// <summary>Participant-level datasets (downloads; the API has its own policy with the same roles).</summary>
    public const string Datasets = "staff:datasets";

    /// <summary>Any signed-in staff member, or any member of the study: dashboard, pseudonymous pages, figures.</summary>
    public const string AnyStaff = "staff:any";

    /// <summary>Who a rule allows: account roles where no study is concerned, member roles of the study where one is.</summary>
    public sealed record Rule(string[] AccountRoles, string[] MemberRoles, bool WholeStudyOnly = false);

    public static readonly string[] DatasetRoles = [StudyMemberRole.Researcher, StudyMemberRole.DataManager, StudyMemberRole.Analyst];

    public static readonly IReadOnlyDictionary<string, Rule> Rules = new Dictionary<string, Rule>
    {
        [Admin] = new([StaffRole.Admin], []),
        [Research] = new([StaffRole.Admin, StaffRole.Researcher], [StudyMemberRole.Researcher], WholeStudyOnly: true),
        [Contacts] = new([StaffRole.Admin, StaffRole.Researcher], [StudyMemberRole.Researcher, StudyMemberRole.DataManager]),
        [Datasets] = new([StaffRole.Admin, StaffRole.Researcher, StaffRole.Analyst], DatasetRoles),
        [AnyStaff] = new([StaffRole.Admin, StaffRole.Researcher, StaffRole.Analyst], StudyMemberRole.All),
    };

    /// <summary>The account roles of each rule (pages about no study), as the route test reads them.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Roles = Rules.ToDictionary(kv => kv.Key, kv => kv.Value.AccountRoles);

    /// <summary>What an endpoint without a rule of its own gets: refused, whoever asks.</summary>
    public static readonly AuthorizationPolicy DenyAll = new AuthorizationPolicyBuilder()
        .RequireAssertion(_ => false)
        .Build();

    public static void Add(AuthorizationOptions options)
    {
        foreach (var (name, rule) in Rules)
        {
            options.AddPolicy(name, policy => policy.RequireAuthenticatedUser().AddRequirements(new StaffRequirement(rule)));
        }
        options.FallbackPolicy = DenyAll;
    }
}

/// <summary>A <see cref="StaffPolicies.Rule"/> as an authorization requirement.</summary>
public sealed record StaffRequirement(StaffPolicies.Rule Rule) : IAuthorizationRequirement;
