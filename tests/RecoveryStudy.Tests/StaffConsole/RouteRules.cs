using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Tests.StaffConsole;

/// <summary>Reads the rule every mapped route declares: anonymous, or the policies it requires.</summary>
public static class RouteRules
{
    public const string Anonymous = "anonymous";
    public const string NoRule = "NO RULE";

    public sealed record Route(string Pattern, string Methods, string Rule, IReadOnlyList<string> Policies, IReadOnlyList<string> Roles,
        IReadOnlyList<string> MemberRoles, bool WholeStudyOnly = false)
    {
        public string Key => $"{Methods} {Pattern}";

        /// <summary>The route is about one study: it names a study, a participant or an instrument version.</summary>
        public bool IsStudyRoute => Pattern.Contains("{studyId", StringComparison.Ordinal) || Pattern.Contains("{study}", StringComparison.Ordinal)
            || Pattern.Contains("{versionId", StringComparison.Ordinal) || Pattern.StartsWith("/participants/{id", StringComparison.Ordinal);

        public bool IsParticipantRoute => Pattern.StartsWith("/participants/{id", StringComparison.Ordinal);
    }

    /// <summary>The ids a study route's parameters take, for one study (and one of its participants).</summary>
    public sealed record StudyIds(int StudyId, string StudyCode, int ParticipantId, int InstrumentVersionId);

    public static IReadOnlyList<Route> Read(IServiceProvider services)
    {
        var source = services.GetRequiredService<EndpointDataSource>();
        return source.Endpoints.OfType<RouteEndpoint>()
            .Select(Describe)
            .OrderBy(r => r.Pattern, StringComparer.Ordinal).ThenBy(r => r.Methods, StringComparer.Ordinal)
            .ToList();
    }

    private static Route Describe(RouteEndpoint endpoint)
    {
        var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
        var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods is { Count: > 0 } m
            ? string.Join(",", m.Order(StringComparer.Ordinal))
            : "ANY";
        if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return new Route(pattern, methods, Anonymous, [], [], []);
        }
        var authorize = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>();
        var policies = authorize.Select(a => a.Policy).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
        var roles = authorize.SelectMany(a => (a.Roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Concat(policies.SelectMany(p => StaffPolicies.Roles.TryGetValue(p, out var r) ? r : []))
            .Distinct().Order(StringComparer.Ordinal).ToList();
        var rule = policies.Count > 0 ? string.Join("+", policies)
            : roles.Count > 0 ? "roles:" + string.Join(",", roles)
            : NoRule;
        var rules = policies.Select(p => StaffPolicies.Rules.TryGetValue(p, out var r) ? r : null).OfType<StaffPolicies.Rule>().ToList();
        var memberRoles = rules.SelectMany(r => r.MemberRoles).Distinct().Order(StringComparer.Ordinal).ToList();
        return new Route(pattern, methods, rule, policies, roles, memberRoles, rules.Any(r => r.WholeStudyOnly));
    }

    /// <summary>A concrete path of a study route for the given study: each parameter becomes its id.</summary>
    public static string PathFor(string pattern, StudyIds ids)
    {
        var segments = pattern.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(s => s switch
        {
            _ when s.StartsWith("{studyId", StringComparison.Ordinal) => ids.StudyId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "{study}" => ids.StudyCode,
            _ when s.StartsWith("{versionId", StringComparison.Ordinal) => ids.InstrumentVersionId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ when s.StartsWith("{id", StringComparison.Ordinal) => ids.ParticipantId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ when s.StartsWith('{') => "1",
            _ => s,
        });
        return "/" + string.Join("/", segments);
    }

    /// <summary>A concrete path for a pattern: every parameter becomes "1", a catch-all becomes empty.</summary>
    public static string SamplePath(string pattern)
    {
        var segments = pattern.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s.StartsWith("{**", StringComparison.Ordinal) || s.StartsWith("{*", StringComparison.Ordinal) ? ""
                : s.StartsWith('{') ? "1" : s)
            .Where(s => s.Length > 0);
        return "/" + string.Join("/", segments);
    }
}
