"""The web app: pages and the API documentation page's assets."""
