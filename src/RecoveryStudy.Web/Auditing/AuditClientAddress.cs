using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using RecoveryStudy.Staff;

namespace RecoveryStudy.Web.Auditing;

/// <summary>
/// Stamps audit entries written during an HTTP request with the client's address, as the
/// forwarded-headers middleware resolved it behind the trusted proxies: staff actions and sign-in
/// attempts only. A participant's address is never recorded (data minimisation; their link is
/// throttled in memory instead).
/// </summary>
public sealed class AuditClientAddress(IHttpContextAccessor http) : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Stamp(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Stamp(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Stamp(DbContext? context)
    {
        var address = http.HttpContext?.Connection.RemoteIpAddress;
        if (context is null || address is null)
        {
            return;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        foreach (var entry in context.ChangeTracker.Entries<AuditEntry>())
        {
            if (entry.State == EntityState.Added && entry.Entity.ClientAddress is null && IsStaffSide(entry.Entity))
            {
                entry.Entity.ClientAddress = address;
            }
        }
    }

    private static bool IsStaffSide(AuditEntry entry) =>
        entry.ActorKind == "staff" || entry.Action.StartsWith("signin", StringComparison.Ordinal);
}
