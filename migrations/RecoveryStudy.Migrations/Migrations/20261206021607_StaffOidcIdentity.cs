using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RecoveryStudy.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class StaffOidcIdentity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "oidc_issuer",
                table: "staff_users",
                type: "character varying(512)",
                maxLength: 512,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "oidc_subject",
                table: "staff_users",
                type: "character varying(255)",
                maxLength: 255,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_staff_users_oidc_issuer_oidc_subject",
                table: "staff_users",
                columns: new[] { "oidc_issuer", "oidc_subject" },
                unique: true);

            migrationBuilder.AddCheckConstraint(
                name: "ck_staff_user_oidc_identity",
                table: "staff_users",
                sql: "(oidc_issuer IS NULL) = (oidc_subject IS NULL)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_staff_users_oidc_issuer_oidc_subject",
                table: "staff_users");

            migrationBuilder.DropCheckConstraint(
                name: "ck_staff_user_oidc_identity",
                table: "staff_users");

            migrationBuilder.DropColumn(
                name: "oidc_issuer",
                table: "staff_users");

            migrationBuilder.DropColumn(
                name: "oidc_subject",
                table: "staff_users");
        }
    }
}
