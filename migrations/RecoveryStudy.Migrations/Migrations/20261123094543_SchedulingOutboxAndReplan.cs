using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RecoveryStudy.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class SchedulingOutboxAndReplan : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "schedule_stale",
                table: "participants",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTime>(
                name: "failed_at",
                table: "messages",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "mail_relays",
                columns: table => new
                {
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    next_free_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    unreachable_since = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    last_connected_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    last_error = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_mail_relays", x => x.name);
                });

            migrationBuilder.CreateIndex(
                name: "ix_participant_schedule_stale",
                table: "participants",
                column: "id",
                filter: "schedule_stale");

            migrationBuilder.CreateIndex(
                name: "ix_message_failed_at",
                table: "messages",
                column: "failed_at",
                filter: "status = 'failed'");

            migrationBuilder.CreateIndex(
                name: "ix_message_sending_claimed_until",
                table: "messages",
                column: "claimed_until",
                filter: "status = 'sending'");

            migrationBuilder.Sql(global::RecoveryStudy.Migrations.Sql.ReplanTriggers.Up);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(global::RecoveryStudy.Migrations.Sql.ReplanTriggers.Down);

            migrationBuilder.DropTable(
                name: "mail_relays");

            migrationBuilder.DropIndex(
                name: "ix_participant_schedule_stale",
                table: "participants");

            migrationBuilder.DropIndex(
                name: "ix_message_failed_at",
                table: "messages");

            migrationBuilder.DropIndex(
                name: "ix_message_sending_claimed_until",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "schedule_stale",
                table: "participants");

            migrationBuilder.DropColumn(
                name: "failed_at",
                table: "messages");
        }
    }
}
