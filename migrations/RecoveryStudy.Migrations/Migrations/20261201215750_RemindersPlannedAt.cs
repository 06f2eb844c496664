using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RecoveryStudy.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class RemindersPlannedAt : Migration
    {
        // The plan job now finds sent invitations itself; the first line is joined exactly as first applied.
        private const string UpSql = """
        UPDATE invitations SET reminders_planned_at = sent_at WHERE sent_at IS NOT NULL;DROP TRIGGER invitations_replan ON invitations;
        CREATE TRIGGER invitations_replan AFTER UPDATE ON invitations FOR EACH ROW
        WHEN ((OLD.status IS DISTINCT FROM NEW.status AND NEW.status IN ('completed', 'withdrawn', 'undeliverable'))
              OR OLD.reminders_stopped_at IS DISTINCT FROM NEW.reminders_stopped_at)
        EXECUTE FUNCTION rs_invitation_closed();
        """;

        private const string DownSql = """
        DROP TRIGGER invitations_replan ON invitations;
        CREATE TRIGGER invitations_replan AFTER UPDATE ON invitations FOR EACH ROW
        WHEN ((OLD.status IS DISTINCT FROM NEW.status AND NEW.status IN ('completed', 'withdrawn', 'undeliverable'))
              OR (OLD.status = 'planned' AND NEW.status = 'sent')
              OR OLD.reminders_stopped_at IS DISTINCT FROM NEW.reminders_stopped_at)
        EXECUTE FUNCTION rs_invitation_closed();
        """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "reminders_planned_at",
                table: "invitations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.Sql(UpSql);

            migrationBuilder.CreateIndex(
                name: "ix_invitation_reminders_unplanned",
                table: "invitations",
                column: "participant_id",
                filter: "sent_at IS NOT NULL AND reminders_planned_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(DownSql);

            migrationBuilder.DropIndex(
                name: "ix_invitation_reminders_unplanned",
                table: "invitations");

            migrationBuilder.DropColumn(
                name: "reminders_planned_at",
                table: "invitations");
        }
    }
}
