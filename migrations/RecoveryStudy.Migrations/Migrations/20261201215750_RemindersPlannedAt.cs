using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RecoveryStudy.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class RemindersPlannedAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "reminders_planned_at",
                table: "invitations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.Sql(global::RecoveryStudy.Migrations.Sql.RemindersPlannedBySentAt.Up);

            migrationBuilder.CreateIndex(
                name: "ix_invitation_reminders_unplanned",
                table: "invitations",
                column: "participant_id",
                filter: "sent_at IS NOT NULL AND reminders_planned_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(global::RecoveryStudy.Migrations.Sql.RemindersPlannedBySentAt.Down);

            migrationBuilder.DropIndex(
                name: "ix_invitation_reminders_unplanned",
                table: "invitations");

            migrationBuilder.DropColumn(
                name: "reminders_planned_at",
                table: "invitations");
        }
    }
}
