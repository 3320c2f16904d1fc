{{/*
Environment of one service container: every setting the chart manages, as AISEC_* variables
(services read only AISEC_* env and the YAML file in AISEC_CONFIG_FILE; env wins over the file).
Context: dict "root" $ "svc" "<name>".
*/}}
{{- define "aisec.env" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
{{- $values := index $v .svc -}}
- name: AISEC_HOST
  value: "0.0.0.0"
- name: AISEC_PORT
  value: {{ $values.ports.grpc | quote }}
- name: AISEC_METRICS_PORT
  value: {{ $v.ports.metrics | quote }}
- name: AISEC_HEALTH_PORT
  value: {{ $v.ports.health | quote }}
- name: AISEC_STATE_DIR
  value: /var/lib/aisec
- name: AISEC_LOG_LEVEL
  value: {{ $v.logLevel | quote }}
- name: AISEC_CONFIG_FILE
  value: /etc/aisec/config/config.yaml
- name: AISEC_GRACE_PERIOD_S
  value: {{ sub $values.terminationGracePeriodSeconds 5 | max 1 | quote }}
- name: AISEC_AUTH_ENABLED
  value: {{ $v.auth.enabled | quote }}
{{- if $v.auth.enabled }}
- name: AISEC_JWT_ISSUER
  value: {{ $v.auth.issuer | quote }}
- name: AISEC_JWT_AUDIENCE
  value: {{ $v.auth.audience | quote }}
- name: AISEC_AUTH_FAILURE_RATE
  value: {{ $v.auth.failureRate | quote }}
- name: AISEC_AUTH_FAILURE_BURST
  value: {{ $v.auth.failureBurst | quote }}
{{- if eq $v.auth.mode "jwks" }}
- name: AISEC_JWT_JWKS_FILE
  value: /etc/aisec/jwt/{{ $v.auth.jwks.secretKey }}
{{- else }}
- name: AISEC_JWT_HS256_KEY_FILE
  value: /etc/aisec/jwt/{{ $v.auth.hs256.secretKey }}
{{- end }}
{{- end }}
{{- if $v.tls.enabled }}
- name: AISEC_TLS_CERT_FILE
  value: /etc/aisec/tls/tls.crt
- name: AISEC_TLS_KEY_FILE
  value: /etc/aisec/tls/tls.key
{{- if $v.tls.mtls }}
- name: AISEC_TLS_CLIENT_CA_FILE
  value: /etc/aisec/tls/{{ $v.tls.caKey }}
{{- end }}
{{- end }}
- name: AISEC_RATELIMIT_ENABLED
  value: {{ $v.rateLimit.enabled | quote }}
- name: AISEC_RATELIMIT_BACKEND
  value: {{ $v.rateLimit.backend | quote }}
- name: AISEC_RATELIMIT_FAIL_MODE
  value: {{ $v.rateLimit.failMode | quote }}
- name: AISEC_RATELIMIT_RATE
  value: {{ $v.rateLimit.rate | quote }}
- name: AISEC_RATELIMIT_BURST
  value: {{ $v.rateLimit.burst | quote }}
{{- if eq $v.rateLimit.backend "redis" }}
{{- if $v.rateLimit.redisUrlSecret.name }}
- name: AISEC_RATELIMIT_REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ $v.rateLimit.redisUrlSecret.name }}
      key: {{ $v.rateLimit.redisUrlSecret.key }}
{{- else }}
- name: AISEC_RATELIMIT_REDIS_URL
  value: {{ required "rateLimit.backend=redis needs rateLimit.redisUrl or rateLimit.redisUrlSecret.name" $v.rateLimit.redisUrl | quote }}
{{- end }}
{{- end }}
{{- if ne .svc "audit" }}
- name: AISEC_HASH_KEY_FILE
  value: /etc/aisec/hash/{{ $v.hashing.secretKey }}
- name: AISEC_HASH_KEY_ID
  value: {{ $v.hashing.keyId | quote }}
{{- end }}
{{- if include "aisec.emitsAudit" . }}
- name: AISEC_AUDIT_TARGET
  value: {{ printf "%s:%v" (include "aisec.componentName" (dict "root" $root "svc" "audit")) $v.audit.service.port | quote }}
{{- if $v.auditDelivery.tokenSecret.name }}
- name: AISEC_AUDIT_TOKEN_FILE
  value: /etc/aisec/audit-client/{{ $v.auditDelivery.tokenSecret.key }}
{{- end }}
{{- if $v.tls.enabled }}
- name: AISEC_AUDIT_TLS_CA_FILE
  value: /etc/aisec/tls/{{ $v.tls.caKey }}
{{- if $v.tls.mtls }}
{{- /* the pod's own certificate doubles as its client certificate towards audit (needs the clientAuth usage) */}}
- name: AISEC_AUDIT_TLS_CERT_FILE
  value: /etc/aisec/tls/tls.crt
- name: AISEC_AUDIT_TLS_KEY_FILE
  value: /etc/aisec/tls/tls.key
{{- end }}
{{- end }}
{{- end }}
{{- if eq .svc "validator" }}
{{- if include "aisec.hasPolicy" . }}
- name: AISEC_POLICY_FILE
  value: /etc/aisec/policy/{{ $values.policy.fileName }}
{{- end }}
{{- else if eq .svc "guard" }}
{{- if include "aisec.hasPolicy" . }}
- name: AISEC_POLICY_DIR
  value: /etc/aisec/policy
{{- end }}
- name: AISEC_REDACTION_HASH_KEY_FILE
  value: /etc/aisec/guard-keys/redaction-hash.key
- name: AISEC_ENCRYPTION_KEY_FILE
  value: /etc/aisec/guard-keys/aes-siv.key
{{- $canaryStore := include "aisec.canaryStore" .root }}
- name: AISEC_CANARY_STORE
  value: {{ $canaryStore | quote }}
{{- if eq $canaryStore "redis" }}
{{- if $v.rateLimit.redisUrlSecret.name }}
- name: AISEC_CANARY_REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ $v.rateLimit.redisUrlSecret.name }}
      key: {{ $v.rateLimit.redisUrlSecret.key }}
{{- else }}
- name: AISEC_CANARY_REDIS_URL
  value: {{ required "guard.canaryStore=redis needs rateLimit.redisUrl or rateLimit.redisUrlSecret.name" $v.rateLimit.redisUrl | quote }}
{{- end }}
{{- end }}
{{- else if eq .svc "vault" }}
- name: AISEC_VAULT_STORE
  value: {{ $values.store | quote }}
{{- if eq $values.store "s3" }}
- name: AISEC_VAULT_S3_BUCKET
  value: {{ required "vault.store=s3 needs vault.s3.bucket" $values.s3.bucket | quote }}
- name: AISEC_VAULT_S3_PREFIX
  value: {{ $values.s3.prefix | quote }}
- name: AISEC_VAULT_S3_REGION
  value: {{ $values.s3.region | quote }}
{{- with $values.s3.endpointUrl }}
- name: AISEC_VAULT_S3_ENDPOINT_URL
  value: {{ . | quote }}
{{- end }}
{{- with $values.s3.sseKmsKeyId }}
- name: AISEC_VAULT_S3_SSE_KMS_KEY_ID
  value: {{ . | quote }}
{{- end }}
{{- end }}
- name: AISEC_VAULT_KEY_PROVIDER
  value: {{ $values.keyProvider | quote }}
{{- if eq $values.keyProvider "aws_kms" }}
- name: AISEC_VAULT_KMS_KEY_ID
  value: {{ required "vault.keyProvider=aws_kms needs vault.kms.keyId" $values.kms.keyId | quote }}
- name: AISEC_VAULT_KMS_REGION
  value: {{ $values.kms.region | quote }}
{{- with $values.kms.endpointUrl }}
- name: AISEC_VAULT_KMS_ENDPOINT_URL
  value: {{ . | quote }}
{{- end }}
{{- else }}
- name: AISEC_VAULT_MASTER_KEY_FILE
  value: /etc/aisec/vault-master-key/{{ $values.masterKey.secretKey }}
{{- end }}
{{- if $values.signingKey.existingSecret }}
- name: AISEC_VAULT_SIGNING_KEY_FILE
  value: /etc/aisec/signing/{{ $values.signingKey.secretKey }}
{{- end }}
{{- else if eq .svc "audit" }}
- name: AISEC_LOG_STORE
  value: {{ $values.store | quote }}
{{- if eq $values.store "postgres" }}
- name: AISEC_POSTGRES_DSN
  valueFrom:
    secretKeyRef:
      name: {{ required "audit.store=postgres needs audit.postgres.dsnSecret.name" $values.postgres.dsnSecret.name }}
      key: {{ $values.postgres.dsnSecret.key }}
{{- end }}
{{- with $values.logOrigin }}
- name: AISEC_LOG_ORIGIN
  value: {{ . | quote }}
{{- end }}
- name: AISEC_CHECKPOINT_INTERVAL_S
  value: {{ $values.checkpointIntervalSeconds | quote }}
{{- if $values.signingKey.existingSecret }}
- name: AISEC_SIGNING_KEY_FILE
  value: /etc/aisec/signing/{{ $values.signingKey.secretKey }}
{{- end }}
{{- end }}
{{- with $values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}
