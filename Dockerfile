# The gitversion image: one image for every stage (the command picks the stage).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
WORKDIR /opt/gitversion
COPY --from=build /src/cli/target/gitversion.jar ./gitversion.jar
COPY --from=build /src/cli/target/lib ./lib
ENTRYPOINT ["java", "-jar", "/opt/gitversion/gitversion.jar"]
CMD ["--help"]
