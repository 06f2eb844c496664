using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RecoveryStudy.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class RemindersAfterInvitationSent : Migration
    {
        // The invitations trigger also fires on send: reminders count from when the invitation really went out.
        private const string UpSql = """
        DROP TRIGGER invitations_replan ON invitations;
        CREATE TRIGGER invitations_replan AFTER UPDATE ON invitations FOR EACH ROW
        WHEN ((OLD.status IS DISTINCT FROM NEW.status AND NEW.status IN ('completed', 'withdrawn', 'undeliverable'))
              OR (OLD.status = 'planned' AND NEW.status = 'sent')
              OR OLD.reminders_stopped_at IS DISTINCT FROM NEW.reminders_stopped_at)
        EXECUTE FUNCTION rs_invitation_closed();
        """;

        private const string DownSql = """
        DROP TRIGGER invitations_replan ON invitations;
        CREATE TRIGGER invitations_replan AFTER UPDATE ON invitations FOR EACH ROW
        WHEN ((OLD.status IS DISTINCT FROM NEW.status AND NEW.status IN ('completed', 'withdrawn', 'undeliverable'))
              OR OLD.reminders_stopped_at IS DISTINCT FROM NEW.reminders_stopped_at)
        EXECUTE FUNCTION rs_invitation_closed();
        """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(UpSql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(DownSql);
        }
    }
}
