# The container image of 反诈家书 (docs/deploy.md, "Containers"): the release build's static
# binary on an empty image, run as a user without a name (65532), its data in the volume /data.
#   docker build --build-arg VERSION=v1.2.0 --build-arg COMMIT=$(git rev-parse HEAD) -t jiashu .
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=devel
ARG COMMIT=unknown
ARG TARGETARCH
RUN VERSION="$VERSION" COMMIT="$COMMIT" ARCHES="${TARGETARCH:-amd64}" DIST=/dist release/build \
 && cp "/dist/jiashu-linux-${TARGETARCH:-amd64}" /jiashu \
 && install -d -o 65532 -g 65532 -m 0700 /data

FROM scratch
# Root certificates: for an SMS gateway on https and a database with sslmode=verify-full.
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /jiashu /jiashu
COPY --from=build /data /data
USER 65532:65532
ENV JIASHU_ADDR=:8080 \
    JIASHU_DATA_DIR=/data
VOLUME /data
EXPOSE 8080
# No shell or curl in the image: the binary asks its own /healthz (200, or 503 when the
# database does not take writes).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["/jiashu", "healthcheck"]
ENTRYPOINT ["/jiashu"]
CMD ["serve"]
