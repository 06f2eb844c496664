# RecoveryStudy as a container image: the host and CLI, framework-dependent on the ASP.NET Core
# runtime image, running as the image's unprivileged user. Not built or run in this project's CI
# (no container engine there): see docs/operations.md, "Containers (Docker)".
#   docker build --build-arg COMMIT=$(git rev-parse --short HEAD) -t recoverystudy:$(cat VERSION) .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG COMMIT=unknown
WORKDIR /src
COPY . .
RUN dotnet publish src/RecoveryStudy.Web -c Release -o /out --no-self-contained -p:SourceRevisionId=${COMMIT}

FROM mcr.microsoft.com/dotnet/aspnet:10.0
COPY --from=build /out /opt/recoverystudy/app
WORKDIR /var/lib/recoverystudy
ENV ASPNETCORE_ENVIRONMENT=Production \
    ASPNETCORE_URLS=http://+:8080 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_NOLOGO=1
# The ASP.NET Core images bring the unprivileged user "app".
USER app
EXPOSE 8080
# `docker run IMAGE migrate` (or any verb) runs the CLI; no verb serves.
ENTRYPOINT ["dotnet", "/opt/recoverystudy/app/RecoveryStudy.Web.dll"]
CMD ["serve"]
