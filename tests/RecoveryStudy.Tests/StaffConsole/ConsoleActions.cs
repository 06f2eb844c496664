using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.StaffConsole;

/// <summary>
/// A console on a <see cref="ConsoleWorld"/> with one signed-in staff member, for the tests that
/// check a state change made through a console page takes effect and leaves an audit entry.
/// </summary>
public sealed class ConsoleActions(DatabaseFixture database) : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> opened = [];

    public async Task<(TestApp App, StudyDbContext Db, ConsoleWorld World, HttpClient Client)> StartAsync(string role)
    {
        var db = database.CreateContext();
        opened.Add(db);
        var world = await ConsoleWorld.CreateAsync(db);
        var user = await StaffSession.CreateUserAsync(db, role);
        var app = await TestApp.StartAsync(database.ConnectionString);
        return (app, db, world, await StaffSession.SignInAsync(app, user.Email));
    }

    public static async Task AssertAuditedAsync(StudyDbContext db, string action, object targetId)
    {
        var id = Convert.ToString(targetId, CultureInfo.InvariantCulture);
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == action && a.TargetId == id && a.StaffUserId != null),
            $"no staff audit entry {action} for {id}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var item in opened)
        {
            await item.DisposeAsync();
        }
    }
}
